"""The JSON form of a frab schedule, read as the XML form it mirrors.

pretalx and frab export `schedule.json` with the very structure of `schedule.xml` (conference, days,
rooms by name, events), which the published JSON Schema (schema2.json, the "schedule2" draft) does
not describe: it describes a newer form, with the events in one list. So a document of the
classic form is turned into the XML tree it stands for and checked against the XSD like an XML
file; a schedule2 document is checked against schema2.json (jsonschema), then turned into the
same tree. Either way, the rest of the import reads one shape.
"""
import json
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

import jsonschema
from flask_babel import lazy_gettext as _l
from lxml import etree

SCHEMA2_PATH = Path(__file__).parent / "frab_schema" / "schema2.json"
# The conference's elements the XSD knows, in the JSON's names.
CONFERENCE_FIELDS = ("title", "acronym", "start", "end", "timeslot_duration", "base_url", "url", "time_zone_name")
TEXT_FIELDS = ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug", "track",
               "language", "description")
URL_FIELDS = ("url", "feedback_url", "origin_url", "video_download_url")


class JsonScheduleError(ValueError):
    """The JSON document is not a schedule we can read; the message says why."""


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold (control characters)."""
    return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # a LocalizableString: its first language
        return _text(next(iter(value.values()), ""))
    return xml_safe(str(value))


def _sub(parent, tag: str, value=None, **attributes):
    child = etree.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items() if v not in (None, "")})
    if value is not None:
        child.text = _text(value)
    return child


def _references(parent, tag: str, item_tag: str, references) -> None:
    element = _sub(parent, tag)
    for reference in references or []:
        if isinstance(reference, dict):
            _sub(element, item_tag, reference.get("title") or reference.get("url"),
                 href=reference.get("url"), type=reference.get("type"))


def _persons(parent, persons) -> None:
    element = _sub(parent, "persons")
    for person in persons or []:
        if isinstance(person, dict):
            name = person.get("public_name") or person.get("name") or person.get("full_public_name")
            _sub(element, "person", name, id=person.get("id"), guid=person.get("guid"))


def _recording(parent, event: dict) -> None:
    if "recording_license" in event or "do_not_record" in event:
        recording = _sub(parent, "recording")
        _sub(recording, "license", event.get("recording_license"))
        _sub(recording, "optout", "true" if event.get("do_not_record") else "false")


def _event(parent, event: dict, base_url: str | None) -> None:
    element = _sub(parent, "event", id=event.get("id"), guid=event.get("guid"), code=event.get("code"))
    for field in TEXT_FIELDS:
        if field in event and (event[field] is not None or field not in ("slug", "subtitle")):
            # frab writes the slug with the acronym as typed ("Camp2019-10386-..."), as below.
            _sub(element, field, event[field].lower() if field == "slug" and event[field] else event[field])
    for field in URL_FIELDS:
        if event.get(field):
            _sub(element, field, event[field])
    if event.get("logo"):  # frab writes a path: relative to the schedule's base_url
        _sub(element, "logo", urljoin(base_url, event["logo"]) if base_url else event["logo"])
    _persons(element, event.get("persons"))
    _recording(element, event)
    _references(element, "links", "link", event.get("links"))
    _references(element, "attachments", "attachment", event.get("attachments"))


def _conference(root, conference: dict) -> None:
    element = _sub(root, "conference")
    for field in CONFERENCE_FIELDS:
        if conference.get(field) not in (None, ""):
            # frab writes the acronym as it was typed ("Camp2019"); the key is case-folded anyway.
            value = conference[field].lower() if field == "acronym" else conference[field]
            _sub(element, field, value)
    if conference.get("daysCount") is not None:
        _sub(element, "days", conference["daysCount"])


def _classic_tree(schedule: dict):
    root = etree.Element("schedule")
    _sub(root, "version", schedule.get("version"))
    conference = schedule.get("conference") or {}
    _conference(root, conference)
    for day in conference.get("days") or []:
        day_element = _sub(root, "day", index=day.get("index"), date=day.get("date"),
                           start=day.get("day_start") or day.get("start"), end=day.get("day_end") or day.get("end"))
        for room_name, events in (day.get("rooms") or {}).items():
            room = _sub(day_element, "room", name=room_name)
            for event in events or []:
                if isinstance(event, dict):
                    _event(room, event, schedule.get("base_url") or conference.get("base_url"))
    return root


@cache
def schema2_validator() -> jsonschema.Draft6Validator:
    schema = json.loads(SCHEMA2_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


def _schedule2_errors(document: dict) -> list[str]:
    errors = sorted(schema2_validator().iter_errors(document), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, error.absolute_path)) or '/'}: {error.message}" for error in errors[:10]]


def _hours_minutes(start: datetime, end: str | None) -> str:
    minutes = int((datetime.fromisoformat(end) - start).total_seconds() // 60) if end else 0
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _schedule2_event(event: dict) -> dict:
    """A schedule2 event in the classic JSON's terms (its start and end, room and track objects,
    participants)."""
    start = datetime.fromisoformat(event["start"])
    track = event.get("track")
    return {**event, "date": event["start"], "start": start.strftime("%H:%M"),
            "duration": _hours_minutes(start, event.get("end")),
            "room": (event.get("room") or {}).get("name") or "",
            "track": (track.get("name") or track.get("slug")) if isinstance(track, dict) else track,
            "persons": event.get("participants"), "id": event.get("id") or uuid.UUID(event["guid"]).int % 10**9 + 1}


def _schedule2_tree(schedule: dict):
    """Days from the conference's list, rooms and events from the events' own fields."""
    talks = [event for event in schedule.get("events") or [] if event.get("guid") and event.get("type") not in
             ("BREAK", "META")]
    conference = dict(schedule.get("conference") or {})
    days = []
    for day in conference.get("days") or []:
        on_day = [event for event in talks if event["start"][:10] == day["date"]]
        rooms: dict[str, list] = {}
        for event in on_day:
            converted = _schedule2_event(event)
            rooms.setdefault(converted["room"], []).append(converted)
        days.append({**day, "rooms": rooms})
    conference["days"] = days
    return _classic_tree({**schedule, "conference": conference})


def json_schedule_tree(data: bytes):
    """The XML tree a JSON schedule stands for; JsonScheduleError when it is no schedule."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise JsonScheduleError(_l("This file is not valid JSON: %(error)s", error=str(error))) from error
    schedule = document.get("schedule") if isinstance(document, dict) else None
    if not isinstance(schedule, dict) or not isinstance(schedule.get("conference"), dict):
        raise JsonScheduleError(_l("This JSON file is not a schedule: it has no schedule.conference."))
    if "events" in schedule:
        errors = _schedule2_errors(document)
        if errors:
            raise JsonScheduleError(_l("This schedule does not follow the schedule JSON Schema: %(errors)s",
                                       errors="; ".join(errors)))
    try:
        return _schedule2_tree(schedule) if "events" in schedule else _classic_tree(schedule)
    except (AttributeError, TypeError, ValueError, KeyError) as error:
        raise JsonScheduleError(_l("This JSON schedule has an unexpected structure (%(error)s).",
                                   error=f"{type(error).__name__}: {error}")) from error
