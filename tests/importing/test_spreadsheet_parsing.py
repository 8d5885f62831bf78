"""Reading spreadsheets as French offices save them, and reading their cells."""
import io
from datetime import date, datetime, time, timezone

import pytest
from openpyxl import Workbook

from webapp.importing.spreadsheet_fields import (
    RowError,
    guess_mapping,
    parse_day,
    parse_duration,
    parse_time,
    row_record,
    split_speakers,
    split_tags,
)
from webapp.importing.spreadsheet_reading import MAX_COLUMNS, SheetError, read_sheet

pytestmark = pytest.mark.usefixtures("english_messages")

HEADERS = "Titre;Intervenant(e)s;Date;Mots-clés\n"


def xlsx_bytes(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_each_encoding_gives_the_same_accented_text(encoding):
    data = (HEADERS + "Café numérique;Léa Dupont;05/10/2016;#bibliothèque\n").encode(encoding)
    sheet = read_sheet(data)
    assert sheet.headers == ["Titre", "Intervenant(e)s", "Date", "Mots-clés"]
    assert sheet.rows == [(2, ["Café numérique", "Léa Dupont", "05/10/2016", "#bibliothèque"])]


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_separator_is_sniffed(separator):
    text = separator.join(["Title", "Speakers", "Date"]) + "\n" + separator.join(
        ["Open data", '"Anne Martin; Paul Durand"' if separator == "," else "Anne Martin",
         "2016-10-05"]) + "\n"
    sheet = read_sheet(text.encode())
    assert sheet.headers == ["Title", "Speakers", "Date"]
    assert sheet.rows[0][1][0] == "Open data"


def test_one_column_sheet_falls_back_without_a_separator():
    sheet = read_sheet("Titre\nUn seul titre\nUn autre\n".encode())
    assert sheet.headers == ["Titre"] and [cells for _n, cells in sheet.rows] == [["Un seul titre"], ["Un autre"]]


def test_xlsx_is_read_by_content_with_date_cells_and_formulas_as_text():
    data = xlsx_bytes(["Titre", "Date", "Heure"],
                      ["=HYPERLINK(\"http://x\")", datetime(2016, 10, 5), time(14, 30)])
    sheet = read_sheet(data)
    assert sheet.kind == "xlsx"
    assert sheet.rows == [(2, ['=HYPERLINK("http://x")', datetime(2016, 10, 5), time(14, 30)])]


@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"Titre;Date\n", "empty"), (b"\x00\x01binary\x00", "neither"),
    (b"PK\x03\x04not really a zip", "neither"), (b"%PDF-1.4\n\x81\x8d\x8f\x90\x9d", "neither"),
])
def test_what_is_not_a_spreadsheet_is_refused_with_a_reason(app, data, message):
    with pytest.raises(SheetError, match=message):
        read_sheet(data)


def test_thousands_of_columns_are_refused(app):
    with pytest.raises(SheetError, match=str(MAX_COLUMNS)):
        read_sheet((";".join(f"c{i}" for i in range(3000)) + "\n" + "x;" * 3000).encode())


def test_duplicate_and_blank_headers_get_distinct_names(app):
    sheet = read_sheet("Titre;Titre;;Date\na;b;c;d\n".encode())
    assert sheet.headers == ["Titre", "Titre (2)", "Column 3", "Date"]
    assert guess_mapping(sheet.headers) == {"title": 0, "date": 3}


def test_mapping_is_guessed_from_french_or_english_headers():
    french = ["Clé", "Événement", "Titre", "Intervenant(e)s", "Date", "Heure", "Durée", "Résumé",
              "Mots-clés", "Langue", "Licence", "Vidéo"]
    english = ["id", "Event", "Title", "Speakers", "Date", "Time", "Duration", "Summary", "Tags",
               "Language", "License", "Video"]
    expected = ["key", "event", "title", "speakers", "date", "time", "duration", "summary", "tags",
                "language", "licence", "video"]
    for headers in (french, english):
        assert guess_mapping(headers) == {name: index for index, name in enumerate(expected)}
    assert guess_mapping(["Notes", "Salle"]) == {}


@pytest.mark.parametrize("cell, expected", [
    ("05/10/2016", date(2016, 10, 5)), ("5/10/16", date(2016, 10, 5)), ("05.10.2016", date(2016, 10, 5)),
    ("5 octobre 2016", date(2016, 10, 5)), ("1er octobre 2016", date(2016, 10, 1)),
    ("mercredi 5 octobre 2016", date(2016, 10, 5)), ("12 février 2020", date(2020, 2, 12)),
    ("2016-10-05", date(2016, 10, 5)), (datetime(2016, 10, 5, 9, 0), date(2016, 10, 5)), ("", None),
])
def test_dates_are_read_day_first(app, cell, expected):
    assert parse_day(cell) == expected


@pytest.mark.parametrize("cell", ["13/13/2016", "10/05", "octobre 2016", "demain"])
def test_what_is_not_a_date_is_refused(app, cell):
    with pytest.raises(RowError, match="not a date"):
        parse_day(cell)


def test_times_and_durations(app):
    assert [parse_time(v) for v in ("14:30", "14h30", "9h", "09:30:00", time(8, 15))] == [
        time(14, 30), time(14, 30), time(9, 0), time(9, 30), time(8, 15)]
    assert [parse_duration(v) for v in ("45", "45 min", "1h30", "1:30", 20.0, time(0, 50))] == [
        45, 45, 90, 90, 20, 50]
    with pytest.raises(RowError):
        parse_time("25h")


@pytest.mark.parametrize("cell", ["Anne Martin, Paul Durand", "Anne Martin et Paul Durand",
                                  "Anne Martin; Paul Durand", "Anne Martin\nPaul Durand",
                                  "Anne Martin & Paul Durand", " Anne Martin ,, Paul Durand, anne MARTIN"])
def test_several_speakers_in_one_cell(cell):
    assert split_speakers(cell) == ("Anne Martin", "Paul Durand")


def test_names_containing_et_or_and_are_not_cut():
    assert split_speakers("Bernadette Etienne") == ("Bernadette Etienne",)


def test_tags_with_or_without_hash():
    assert split_tags("#mednum #bibliothèque") == ("#mednum", "#bibliothèque")
    assert split_tags("médiation numérique, open data; fablab") == (
        "médiation numérique", "open data", "fablab")


def test_a_row_becomes_a_talk_record_with_local_time(app):
    headers = ["Titre", "Intervenant(e)s", "Date", "Heure", "Durée", "Langue", "Licence", "Vidéo"]
    cells = ["Café numérique", "Léa Dupont et Paul Durand", "05/10/2016", "14h30", "45", "français",
             "CC BY-SA 4.0", "https://video.example.org/v/1"]
    record = row_record(cells, guess_mapping(headers))
    assert record.import_key == "sheet:cafe numerique"
    assert record.starts_at == datetime(2016, 10, 5, 12, 30, tzinfo=timezone.utc)  # Paris, summer time
    assert (record.language, record.licence, record.duration_minutes) == ("fr", "CC-BY-SA-4.0", 45)
    assert record.speaker_names == ("Léa Dupont", "Paul Durand")


@pytest.mark.parametrize("cells, reason", [
    (["", "x"], "title is empty"), (["x" * 401, "x"], "longer than 400"),
    (["T", "ftp://x"], "not a video address"), (["T" * 20_001, ""], "A cell is longer"),
])
def test_bad_rows_say_why(app, cells, reason):
    with pytest.raises(RowError, match=reason):
        row_record(cells, {"title": 0, "video": 1})
