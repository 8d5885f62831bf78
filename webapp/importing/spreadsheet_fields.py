"""From a spreadsheet row to a talk record: the fields, their guessed columns, the cells' formats.

Dates are French first: 05/10/2016 is the 5th of October (never US order), "5 octobre 2016",
"1er octobre 2016" and ISO 2016-10-05 are read too, and XLSX date cells as they are. Several
speakers share a cell separated by commas, semicolons, new lines or "et"/"and"; tags by commas,
semicolons or spaces when they carry "#". Records are the pyvideo import's TalkRecord, so talks,
speakers and tags are matched the same way (webapp/importing/operations.py).
"""
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.core.licences import normalise_licence
from webapp.core.naming import clean_display_name, fold_accents, make_slug, person_name_key
from webapp.importing.pyvideo_records import (
    MAX_EVENT_TITLE,
    MAX_KEY,
    MAX_NAME,
    MAX_TITLE,
    MAX_URL,
    TalkRecord,
    language_code,
    licence_id,
)
from webapp.importing.spreadsheet_reading import MAX_CELL_CHARS, Cell
from webapp.sanitize import plain_text_to_html

KEY_PREFIX = "sheet:"


@dataclass(frozen=True)
class Field:
    name: str
    label: object  # lazy string
    headers: tuple[str, ...]  # folded header texts that name it


FIELDS = (
    Field("key", _l("Row key"), ("id", "cle", "key", "identifiant", "ref", "reference")),
    Field("event", _l("Event"), ("evenement", "event", "journee", "manifestation")),
    Field("title", _l("Title"), ("titre", "title", "intitule", "sujet")),
    Field("speakers", _l("Speakers"), ("intervenant e s", "intervenants", "intervenant",
                                       "intervenantes", "speakers", "speaker", "orateurs",
                                       "orateur", "auteurs", "auteur")),
    Field("date", _l("Date"), ("date", "jour", "day")),
    Field("time", _l("Time"), ("heure", "time", "horaire", "debut", "start")),
    Field("duration", _l("Duration (minutes)"), ("duree", "duration", "duree min")),
    Field("summary", _l("Summary"), ("resume", "summary", "description", "abstract")),
    Field("tags", _l("Tags"), ("mots cles", "mots cle", "tags", "keywords", "etiquettes")),
    Field("language", _l("Language"), ("langue", "language", "lang")),
    Field("licence", _l("Licence"), ("licence", "license")),
    Field("video", _l("Video"), ("video", "lien video", "video url", "url video")),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)

FRENCH_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
                 "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
                 "decembre": 12, "january": 1, "february": 2, "march": 3, "april": 4, "may": 5,
                 "june": 6, "july": 7, "august": 8, "september": 9, "october": 10,
                 "november": 11, "december": 12}
LANGUAGE_NAMES = {"francais": "fr", "french": "fr", "anglais": "en", "english": "en",
                  "espagnol": "es", "spanish": "es", "allemand": "de", "german": "de",
                  "italien": "it", "italian": "it", "breton": "br", "occitan": "oc"}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_WORDED_DATE = re.compile(r"^(?:[a-z]+\.? )?(\d{1,2})(?:er|re)? ([a-z]+)\.? (\d{4})$")
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?(?::(\d{2}))?$")
_DURATION = re.compile(r"^(?:(\d{1,2})\s*[:h]\s*(\d{1,2})?(?::\d{2})?|(\d{1,4})\s*(?:min|mn|minutes?)?)$")
_SPEAKER_SEPARATORS = re.compile(r"\s*(?:[\n;,&/]|\bet\b|\band\b)\s*", re.IGNORECASE)
_TAG_SEPARATORS = re.compile(r"[\n;,]+")


class RowError(ValueError):
    """A row that cannot be imported; the message (translated) says why."""


def folded_header(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold_accents(text).casefold()).split())


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """field name -> column index, from header texts in French or English; the first wins."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        folded = folded_header(header)
        for field in FIELDS:
            if field.name not in mapping and folded in field.headers:
                mapping[field.name] = index
                break
    return mapping


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _bounded(text: str, limit: int, what) -> str:
    if len(text) > limit:
        raise RowError(_l("%(field)s is longer than %(limit)d characters.", field=what, limit=limit))
    return text


def parse_day(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = " ".join(fold_accents(_text(cell)).casefold().split())
    if not text:
        return None
    try:
        return _day_from_text(text)
    except ValueError as error:
        raise RowError(_l("“%(value)s” is not a date (day/month/year).", value=_text(cell))) from error


def _day_from_text(text: str) -> date:
    if found := _ISO_DATE.match(text):
        return date(int(found[1]), int(found[2]), int(found[3]))
    if found := _NUMERIC_DATE.match(text):
        year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
        return date(year, int(found[2]), int(found[1]))  # day first, as in France
    if (found := _WORDED_DATE.match(text)) and found[2] in FRENCH_MONTHS:
        return date(int(found[3]), FRENCH_MONTHS[found[2]], int(found[1]))
    raise ValueError(text)


def parse_time(cell: Cell) -> time | None:
    if isinstance(cell, datetime):
        return cell.time()
    if isinstance(cell, time):
        return cell
    text = _text(cell).lower()
    found = _TIME.match(text) if text else None
    if not text:
        return None
    try:
        return time(int(found[1]), int(found[2] or 0))
    except (TypeError, ValueError) as error:
        raise RowError(_l("“%(value)s” is not a time (such as 14:30 or 14h30).", value=text)) from error


def parse_duration(cell: Cell) -> int | None:
    if isinstance(cell, timedelta):
        return max(1, round(cell.total_seconds() / 60))
    if isinstance(cell, time):
        return cell.hour * 60 + cell.minute or None
    text = _text(cell).lower()
    if not text:
        return None
    found = _DURATION.match(text)
    if not found:
        raise RowError(_l("“%(value)s” is not a duration in minutes (such as 45 or 1h30).", value=text))
    minutes = int(found[3]) if found[3] else int(found[1]) * 60 + int(found[2] or 0)
    return minutes or None


def split_speakers(cell: Cell) -> tuple[str, ...]:
    """Display names in order, one per person (as the pyvideo import keys them), blanks dropped."""
    names: dict[str, str] = {}
    for raw in _SPEAKER_SEPARATORS.split(_text(cell)):
        name = _bounded(clean_display_name(raw), MAX_NAME, _l("A speaker name"))
        key = person_name_key(name)
        if key and key not in names:
            names[key] = name
    return tuple(names.values())


def split_tags(cell: Cell) -> tuple[str, ...]:
    """'#a #b', 'a, b', 'a; b' or one per line; normalised later as every tag is."""
    tags = []
    for part in _TAG_SEPARATORS.split(_text(cell)):
        tags.extend(part.split() if "#" in part else [part])
    return tuple(tag.strip() for tag in tags if tag.strip().lstrip("#"))


def parse_language(cell: Cell) -> str | None:
    text = folded_header(_text(cell))
    if not text:
        return None
    code = LANGUAGE_NAMES.get(text) or language_code(text)
    if code is None:
        raise RowError(_l("“%(value)s” is not a language we know.", value=_text(cell)))
    return code


def parse_licence(cell: Cell) -> str | None:
    text = _text(cell)
    if not text:
        return None
    code = normalise_licence(text) or licence_id(text)
    if code is None:
        raise RowError(_l("“%(value)s” is not a licence we know.", value=text))
    return code


def parse_video(cell: Cell) -> str | None:
    url = _text(cell)
    if not url:
        return None
    if not url.startswith(("https://", "http://")) or len(url) > MAX_URL or " " in url:
        raise RowError(_l("“%(value)s” is not a video address (http or https).", value=url[:80]))
    return url


def row_key(key_cell: str, title: str) -> str:
    """The talk's import key: the sheet's own key, else the normalised title; long ones hashed."""
    key = KEY_PREFIX + (key_cell or person_name_key(title))
    if len(key) > MAX_KEY:
        key = key[:MAX_KEY - 17] + "-" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return key


def cell_of(cells: list[Cell], mapping: dict[str, int], name: str) -> Cell:
    index = mapping.get(name)
    return cells[index] if index is not None and index < len(cells) else None


def event_title_of(cells: list[Cell], mapping: dict[str, int]) -> str:
    return _bounded(clean_display_name(_text(cell_of(cells, mapping, "event"))), MAX_EVENT_TITLE,
                    _l("The event"))


def local_moment(given_on: date | None, at: time | None) -> datetime | None:
    """A programme's times are the site's local times (BABEL_DEFAULT_TIMEZONE); stored in UTC."""
    if not (given_on and at):
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(given_on, at, tzinfo=zone).astimezone(timezone.utc)


def row_record(cells: list[Cell], mapping: dict[str, int]) -> TalkRecord:
    """The talk a row describes, or RowError saying why it cannot be imported."""
    if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARS for cell in cells):
        raise RowError(_l("A cell is longer than %(limit)d characters.", limit=MAX_CELL_CHARS))
    title = _bounded(clean_display_name(_text(cell_of(cells, mapping, "title"))), MAX_TITLE, _l("The title"))
    if not title:
        raise RowError(_l("The title is empty."))
    given_on = parse_day(cell_of(cells, mapping, "date"))
    at = parse_time(cell_of(cells, mapping, "time"))
    summary = _text(cell_of(cells, mapping, "summary"))
    return TalkRecord(
        import_key=row_key(clean_display_name(_text(cell_of(cells, mapping, "key"))), title),
        slug_base=make_slug(title), title=title,
        summary=plain_text_to_html(summary) or None if summary else None,
        language=parse_language(cell_of(cells, mapping, "language")),
        given_on=given_on,
        starts_at=local_moment(given_on, at),
        duration_minutes=parse_duration(cell_of(cells, mapping, "duration")),
        video_url=parse_video(cell_of(cells, mapping, "video")),
        licence=parse_licence(cell_of(cells, mapping, "licence")),
        tag_names=split_tags(cell_of(cells, mapping, "tags")),
        speaker_names=split_speakers(cell_of(cells, mapping, "speakers")))
