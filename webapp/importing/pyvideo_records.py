"""Reading pyvideo.org records: JSON files in, plain validated values out. No database here.

The layout is `ROOT/<event>/category.json` and `ROOT/<event>/videos/<talk>.json`; records are
validated against the JSON schemas shipped in data/pyvideo-fr/.schemas/.
"""
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path

import jsonschema
from jsonschema.exceptions import best_match

from webapp.core.naming import clean_display_name, make_slug, person_name_key
from webapp.sanitize import plain_text_to_html

PYVIDEO_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "pyvideo-fr"
SCHEMA_DIR = PYVIDEO_DATA_DIR / ".schemas"

# Column sizes of the models: longer values would fail on PostgreSQL, so they are refused here.
MAX_TITLE, MAX_EVENT_TITLE, MAX_NAME, MAX_KEY, MAX_URL = 400, 300, 200, 300, 500

# Durations are seconds. No single recorded talk lasts a whole day: a larger value is read as
# milliseconds (the PyCon FR 2016 records carry e.g. 1595000 for a 26-minute talk). A value
# still above a day once divided, zero or negative means "unknown".
MAX_TALK_SECONDS = 24 * 3600

# ISO 639-3 (and the ISO 639-2/B variants) to the ISO 639-1 codes stored on talks.
ISO_639_3_TO_1 = {
    "fra": "fr", "fre": "fr", "eng": "en", "spa": "es", "deu": "de", "ger": "de", "ita": "it",
    "por": "pt", "nld": "nl", "dut": "nl", "cat": "ca", "eus": "eu", "baq": "eu", "bre": "br",
    "oci": "oc", "cos": "co", "pol": "pl", "rus": "ru", "ukr": "uk", "ces": "cs", "cze": "cs",
    "ron": "ro", "rum": "ro", "hun": "hu", "ell": "el", "gre": "el", "tur": "tr", "swe": "sv",
    "dan": "da", "nor": "no", "fin": "fi", "jpn": "ja", "zho": "zh", "chi": "zh", "kor": "ko",
    "ara": "ar", "hin": "hi", "vie": "vi", "ind": "id", "heb": "he",
}

# Video hosts whose page plays the talk in a browser, best first; files (mp4, webm...) come last.
WEB_VIDEO_TYPES = ("youtube", "vimeo", "peertube", "dailymotion")

# YouTube's wording for its only Creative Commons option, which links to CC BY 3.0.
YOUTUBE_CC_BY = "creative commons attribution license (reuse allowed)"
_CC_NAME = re.compile(r"\bcc[\s-]*(by(?:[\s-]*(?:nc|sa|nd))*)[\s-]*v?(\d\.\d)\b")
_CC_URL = re.compile(r"creativecommons\.org/licenses/(by(?:-(?:nc|sa|nd))*)/(\d\.\d)")
_CC0 = re.compile(r"\bcc0\b|creativecommons\.org/publicdomain/zero/1\.0")


class RecordError(ValueError):
    """A record that cannot be imported; the message says why."""


@dataclass(frozen=True)
class EventRecord:
    import_key: str
    title: str
    description: str | None  # sanitised HTML
    website_url: str | None
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class TalkRecord:
    import_key: str
    slug_base: str  # made here, in the reading workers: slugify is slow
    title: str
    summary: str | None  # sanitised HTML
    language: str | None
    given_on: date | None
    starts_at: datetime | None
    duration_minutes: int | None
    video_url: str | None
    licence: str | None
    tag_names: tuple[str, ...] = ()
    speaker_names: tuple[str, ...] = ()  # display names, one per person, in order

    @property
    def programme_order(self) -> tuple:
        """Recorded day, then time (untimed talks after timed ones), then title."""
        moment = self.starts_at.timestamp() if self.starts_at else math.inf
        return (self.given_on or date.max, moment, self.title.casefold(), self.import_key)


class PyvideoSchemas:
    """Validators for category.json and video records, built once from the shipped schemas."""

    def __init__(self, schema_dir: Path = SCHEMA_DIR):
        self.schema_dir = schema_dir

    def _validator(self, name: str):
        schema = json.loads((self.schema_dir / name).read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        return cls(schema, format_checker=cls.FORMAT_CHECKER)

    @cached_property
    def category(self):
        return self._validator("category.json")

    @cached_property
    def video(self):
        return self._validator("video.json")


def check_schema(validator, data) -> None:
    error = best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "record"
        raise RecordError(f"schema violation at {where}: {_shorten(error.message)}")


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_json(path: Path):
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise RecordError(f"cannot read the file: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise RecordError("the file is not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise RecordError(
            f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from error


def _bounded(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise RecordError(f"{what} is longer than {limit} characters")
    return value


def _required_text(raw, limit: int, what: str) -> str:
    text = clean_display_name(raw or "")
    if not text:
        raise RecordError(f"{what} is empty")
    return _bounded(text, limit, what)


def _html_or_none(text: str | None) -> str | None:
    return plain_text_to_html(text) or None


def parse_iso_date(raw: str | None, what: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise RecordError(f"{what}: {raw!r} is not a valid date") from error


def parse_recorded(raw: str | None) -> tuple[date | None, datetime | None]:
    """(day, exact UTC start or None). A time without an offset is taken as UTC."""
    if not raw or "T" not in raw:
        return parse_iso_date(raw, "recorded"), None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        raise RecordError(f"recorded: {raw!r} is not a valid date and time") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.date(), moment.astimezone(timezone.utc)


def language_code(raw: str | None) -> str | None:
    """ISO 639-3 'fra' -> 'fr'; a code we do not know -> None (unknown)."""
    code = (raw or "").strip().lower()
    if code in ISO_639_3_TO_1.values():
        return code
    return ISO_639_3_TO_1.get(code)


def duration_minutes(raw: int | None) -> int | None:
    if raw is None or raw <= 0:
        return None
    seconds = raw if raw <= MAX_TALK_SECONDS else raw / 1000
    if seconds > MAX_TALK_SECONDS:
        return None
    return max(1, int((seconds + 30) // 60))


def _is_usable_url(url) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= MAX_URL


def pick_video_url(videos: list[dict]) -> str | None:
    """A page that plays the talk (YouTube first), else the first downloadable file."""
    usable = [v for v in videos if _is_usable_url(v.get("url"))]
    for kind in WEB_VIDEO_TYPES:
        for video in usable:
            if str(video.get("type", "")).lower() == kind:
                return video["url"]
    return usable[0]["url"] if usable else None


def licence_id(copyright_text: str | None) -> str | None:
    """The SPDX id when the text names a licence and its version unambiguously, else None."""
    text = " ".join((copyright_text or "").lower().split())
    if not text:
        return None
    if text == YOUTUBE_CC_BY:
        return "CC-BY-3.0"
    if _CC0.search(text):
        return "CC0-1.0"
    found = _CC_URL.search(text) or _CC_NAME.search(text)
    if not found:
        return None
    parts = re.split(r"[\s-]+", found.group(1))
    return "CC-" + "-".join(p.upper() for p in parts) + "-" + found.group(2)


def _speaker_names(raw_names: list[str]) -> tuple[str, ...]:
    """Display names in order, one per normalised name; blanks dropped."""
    names: dict[str, str] = {}
    for raw in raw_names:
        name = _bounded(clean_display_name(raw), MAX_NAME, "a speaker name")
        key = person_name_key(name)
        if key and key not in names:
            names[key] = name
    return tuple(names.values())


def parse_category(path: Path, schemas: PyvideoSchemas) -> EventRecord:
    data = load_json(path)
    check_schema(schemas.category, data)
    url = data.get("url")
    return EventRecord(
        import_key=_bounded(path.parent.name, MAX_KEY, "the folder name"),
        title=_required_text(data["title"], MAX_EVENT_TITLE, "title"),
        description=_html_or_none(data.get("description")),
        website_url=url if _is_usable_url(url) else None,
        start_date=parse_iso_date(data.get("start_date"), "start_date"),
        end_date=parse_iso_date(data.get("end_date"), "end_date"),
    )


def parse_video(path: Path, schemas: PyvideoSchemas) -> TalkRecord:
    data = load_json(path)
    check_schema(schemas.video, data)
    title = _required_text(data["title"], MAX_TITLE, "title")
    given_on, starts_at = parse_recorded(data.get("recorded"))
    return TalkRecord(
        import_key=_bounded(path.stem, MAX_KEY, "the file name"),
        slug_base=make_slug((data.get("slug") or "").strip() or title),
        title=title,
        summary=_html_or_none(data.get("description") or data.get("summary")),
        language=language_code(data.get("language")),
        given_on=given_on,
        starts_at=starts_at,
        duration_minutes=duration_minutes(data.get("duration")),
        video_url=pick_video_url(data["videos"]),
        licence=licence_id(data.get("copyright_text")),
        tag_names=tuple(data.get("tags") or ()),
        speaker_names=_speaker_names(data["speakers"]),
    )
