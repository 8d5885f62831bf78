"""CSV export of the statistics tables: UTF-8 with a BOM (Excel reads the accents), quoted as needed.

Cells a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return)
get a leading apostrophe, so an exported search text can never run as a formula.
"""
import csv
import io

from webapp.stats.tables import StatsTable

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell) -> str | int:
    if isinstance(cell, int):
        return cell
    text = str(cell)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def table_csv(table: StatsTable) -> str:
    """The table as CSV text (header row first), ready to send as text/csv."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(str(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow([neutralise(cell) for cell in row.cells])
    return BOM + buffer.getvalue()
