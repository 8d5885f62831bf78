"""Reading a spreadsheet (CSV or XLSX) into a header row and data rows. No database here.

What French offices produce: CSV in UTF-8 (with or without a BOM) or Windows-1252, separated by
";" or ","; XLSX workbooks, whose date cells arrive as dates. The kind is told by the content,
never by the file name: an XLSX is a zip (openpyxl reads it), anything else must decode as text.
Cells are kept as they are (a cell starting with "=" stays text: nothing here evaluates it).
"""
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

XLSX_MAGIC = b"PK\x03\x04"
MAX_COLUMNS = 200
MAX_ROWS = 20_000
MAX_CELL_CHARS = 20_000
MAX_XLSX_UNZIPPED_BYTES = 200_000_000
SNIFF_SAMPLE_CHARS = 20_000
SEPARATORS = ";,\t"

Cell = str | int | float | date | datetime | time | timedelta | None


class SheetError(ValueError):
    """A file that cannot be read as a spreadsheet; the message (translated) says why."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)
    kind: str  # "csv" or "xlsx"


def read_sheet(data: bytes) -> Sheet:
    """The header row (the first non-empty one) and the non-empty rows after it."""
    if data.startswith(XLSX_MAGIC):
        return _sheet_from_rows(_xlsx_rows(data), "xlsx")
    return _sheet_from_rows(_csv_rows(decode_text(data)), "csv")


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else Windows-1252."""
    if b"\x00" in data[:SNIFF_SAMPLE_CHARS]:
        raise SheetError(_l("The file is neither a CSV text file nor an XLSX workbook."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SheetError(_l("The file is neither a CSV text file nor an XLSX workbook.")) from error


def sniff_separator(text: str) -> str:
    """csv.Sniffer's answer among ";", "," and tab; else the one the first line holds most."""
    sample = text[:SNIFF_SAMPLE_CHARS]
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample.strip() else ""
        return max(SEPARATORS, key=first_line.count) if first_line else ";"


def _csv_rows(text: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    try:
        yield from reader
    except csv.Error as error:
        raise SheetError(_l("The CSV file is malformed near line %(line)d.",
                            line=reader.line_num)) from error


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise SheetError(_l("The file is neither a CSV text file nor an XLSX workbook.")) from error
    if expanded > MAX_XLSX_UNZIPPED_BYTES:
        raise SheetError(_l("The workbook expands to too much data to be read."))


def _xlsx_rows(data: bytes):
    """The first worksheet's rows, as values (dates as dates), never formulas' results."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError,
            ValueError, TypeError) as error:
        raise SheetError(_l("The file is neither a CSV text file nor an XLSX workbook.")) from error


def _clean_cell(value) -> Cell:
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_CELL_CHARS:
            return value[:MAX_CELL_CHARS + 1]  # still too long: the field refuses it
        return value or None
    if isinstance(value, bool):
        return str(value)
    return value


def _trimmed(raw_row) -> list[Cell]:
    cells = [_clean_cell(value) for value in raw_row]
    while cells and cells[-1] is None:
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise SheetError(_l("The sheet has more than %(count)d columns.", count=MAX_COLUMNS))
    return cells


def unique_headers(cells: list[Cell]) -> list[str]:
    """Header texts; a blank one is named by its column, a repeated one gets " (2)", " (3)"."""
    seen: dict[str, int] = {}
    headers = []
    for index, cell in enumerate(cells, start=1):
        text = str(cell) if cell is not None else str(_l("Column %(number)d", number=index))
        seen[text.casefold()] = seen.get(text.casefold(), 0) + 1
        count = seen[text.casefold()]
        headers.append(text if count == 1 else f"{text} ({count})")
    return headers


def _sheet_from_rows(raw_rows, kind: str) -> Sheet:
    headers, rows = None, []
    for number, raw_row in enumerate(raw_rows, start=1):
        cells = _trimmed(raw_row)
        if not cells:
            continue
        if headers is None:
            headers = unique_headers(cells)
            continue
        if len(rows) == MAX_ROWS:
            raise SheetError(_l("The sheet has more than %(count)d rows.", count=MAX_ROWS))
        rows.append((number, cells))
    if headers is None or not rows:
        raise SheetError(_l("The sheet is empty: it needs a header row and at least one talk."))
    return Sheet(headers=headers, rows=rows, kind=kind)
