"""Reading a frab/pretalx schedule (XML or JSON) into records the import writes.

XML is parsed safely: defusedxml first refuses any DTD (so no entity expansion bomb, no external
entity, no network), then lxml parses it without entities, network or huge trees, and the tree is
checked against the published XSD (frab_schema/schedule.xml.xsd). JSON is read as the XML tree it
mirrors (frab_json.py). An error inside one <event> skips that event, with its guid and the reason;
an error anywhere else refuses the file.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException
from flask_babel import lazy_gettext as _l
from lxml import etree

from webapp.core.licences import is_offered, normalise_licence
from webapp.core.naming import make_slug
from webapp.importing.frab_json import JsonScheduleError, json_schedule_tree
from webapp.importing.pyvideo_records import language_code, licence_id

XSD_PATH = Path(__file__).parent / "frab_schema" / "schedule.xml.xsd"
EVENT_PATH = re.compile(r"^/schedule/day(\[\d+\])?/room(\[\d+\])?/event(\[\d+\])?")
SLIDE_TYPES = {"slides", "slide", "presentation"}
SLIDE_SUFFIXES = (".pdf", ".pptx", ".odp", ".key")
MAX_ERRORS_SHOWN = 10


class ScheduleError(ValueError):
    """The file is not a schedule we can import; the message says why."""


@dataclass(frozen=True)
class Conference:
    import_key: str
    title: str
    start_date: date | None
    end_date: date | None
    website_url: str | None


@dataclass(frozen=True)
class ScheduleTalk:
    """One <event>, in the terms of the importer (PyvideoImporter's TalkRecord and more)."""

    import_key: str  # the guid
    slug_base: str
    title: str
    summary_source: str  # Markdown: subtitle, abstract, description
    language: str | None
    given_on: date | None
    starts_at: datetime | None
    duration_minutes: int | None
    room: str | None
    links: list[dict]
    licence: str | None
    video_url: str | None
    slide_urls: tuple[str, ...] = ()
    tag_names: tuple[str, ...] = ()
    speaker_names: tuple[str, ...] = ()

    @property
    def programme_order(self) -> tuple:
        return (self.starts_at or datetime.max.replace(tzinfo=timezone.utc), self.room or "", self.title.casefold())


@dataclass(frozen=True)
class BadEvent:
    where: str  # "guid 8079… (“Title”)"
    reason: str


@dataclass
class Schedule:
    conference: Conference
    talks: list[ScheduleTalk] = field(default_factory=list)
    bad_events: list[BadEvent] = field(default_factory=list)


@cache
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH), etree.XMLParser(resolve_entities=False, no_network=True)))


def safe_xml_tree(data: bytes):
    """The tree of an XML schedule; ScheduleError for a DTD, an entity, or XML that is not well formed."""
    try:
        safe_tree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ScheduleError(_l("This XML file declares a DTD or entities, which schedules never need: "
                               "refused for safety (%(error)s).", error=type(error).__name__)) from error
    except safe_tree.ParseError as error:
        raise ScheduleError(_l("This file is not well-formed XML: %(error)s", error=str(error))) from error
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ScheduleError(_l("This file is not well-formed XML: %(error)s", error=str(error))) from error


def schedule_tree(data: bytes):
    """XML or JSON, told apart by the first character."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        try:
            return json_schedule_tree(data)
        except JsonScheduleError as error:
            raise ScheduleError(str(error)) from error
    if head == b"<":
        return safe_xml_tree(data)
    raise ScheduleError(_l("This file is neither a schedule.xml nor a schedule.json."))


def describe_event(element) -> str:
    title = (element.findtext("title") or "").strip()
    guid = element.get("guid") or "?"
    return f"guid {guid} (“{title}”)" if title else f"guid {guid}"


def validation_problems(root) -> tuple[dict, list[str]]:
    """({event element: reasons}, errors outside any event) from the XSD."""
    schema = xsd()
    schema.validate(etree.ElementTree(root))
    by_event, others = {}, []
    for error in schema.error_log:
        if error.level_name == "WARNING":  # libxml2's follow-up to an error already listed
            continue
        found = EVENT_PATH.match(error.path or "")
        nodes = root.getroottree().xpath(found.group(0)) if found else []
        if nodes:
            by_event.setdefault(nodes[0], []).append(error.message.rstrip("."))
        else:
            others.append(f"line {error.line}: {error.message}")
    return by_event, others


def read_schedule(data: bytes) -> Schedule:
    """The schedule in data (XML or JSON); ScheduleError when the file cannot be imported."""
    root = schedule_tree(data)
    if root.tag != "schedule":
        raise ScheduleError(_l("This XML file is not a schedule: its root is <%(tag)s>.", tag=root.tag))
    by_event, others = validation_problems(root)
    if others:
        raise ScheduleError(_l("This schedule does not follow the schedule.xml schema: %(errors)s",
                               errors="; ".join(others[:MAX_ERRORS_SHOWN])))
    try:
        schedule = Schedule(read_conference(root))
    except ScheduleError:
        raise
    except ValueError as error:
        raise ScheduleError(_l("The schedule's conference cannot be read: %(error)s", error=str(error))) from error
    for element in root.iterfind("day/room/event"):
        if element in by_event:
            schedule.bad_events.append(BadEvent(describe_event(element), "; ".join(by_event[element])))
            continue
        try:
            schedule.talks.append(read_talk(element))
        except ValueError as error:
            schedule.bad_events.append(BadEvent(describe_event(element), str(error)))
    return schedule


def _date_of(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _http_url(text: str | None) -> str | None:
    text = (text or "").strip()
    return text if text.startswith(("http://", "https://")) and len(text) <= 500 else None


def read_conference(root) -> Conference:
    conference = root.find("conference")
    acronym = (conference.findtext("acronym") or "").strip().lower()
    title = (conference.findtext("title") or "").strip()
    if not acronym or not title:
        raise ScheduleError(_l("The schedule's conference needs a title and an acronym."))
    start = _date_of(conference.findtext("start")) or _date_of(root.find("day").get("date"))
    end = _date_of(conference.findtext("end")) or start
    return Conference(f"frab:{acronym}", title[:300], start, max(start, end) if start and end else end,
                      _http_url(conference.findtext("url")))


def minutes_of(duration: str) -> int | None:
    parts = [int(part) for part in duration.split(":")]
    minutes = parts[0] * 60 + parts[1] + (1 if len(parts) > 2 and parts[2] >= 30 else 0)
    return minutes or None


def licence_of(text: str | None) -> str | None:
    """The SPDX id of a recording licence ("CC BY 4.0", a deed's address...) the project knows."""
    text = (text or "").strip()
    if not text:
        return None
    return normalise_licence(text) if is_offered(text) else licence_id(text)


def references(element, path: str) -> list[dict]:
    found = []
    for reference in element.iterfind(path):
        url = _http_url(reference.get("href"))
        if url:
            found.append({"url": url, "label": (reference.text or "").strip() or url,
                          "type": (reference.get("type") or "").strip().lower()})
    return found


def is_slide_deck(reference: dict) -> bool:
    path = reference["url"].split("?")[0].lower()
    return reference["type"] in SLIDE_TYPES or path.endswith(SLIDE_SUFFIXES)


def summary_markdown(element) -> str:
    parts = (element.findtext(name) for name in ("subtitle", "abstract", "description"))
    return "\n\n".join(text.strip() for text in parts if text and text.strip())


def recording_of(element) -> tuple[str | None, str | None]:
    """(licence, video address) of an <event>."""
    recording = element.find("recording")
    if recording is None:
        return None, _http_url(element.findtext("video_download_url"))
    return licence_of(recording.findtext("license")), _http_url(recording.findtext("url") or recording.findtext("link"))


def people_and_track(element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(speaker names, in order and once each; tag names) of an <event>."""
    persons = (" ".join((person.text or "").split()) for person in element.iterfind("persons/person"))
    track = (element.findtext("track") or "").strip()
    return tuple(dict.fromkeys(name for name in persons if name)), (track,) if track else ()


def read_talk(element) -> ScheduleTalk:
    title = " ".join((element.findtext("title") or "").split())
    if not title:
        raise ValueError(_l("the event has no title"))
    moment = datetime.fromisoformat(element.findtext("date"))  # with its offset, as the XSD wants
    attachments = references(element, "attachments/attachment")
    kept_links = references(element, "links/link") + [ref for ref in attachments if not is_slide_deck(ref)]
    licence, video_url = recording_of(element)
    speaker_names, tag_names = people_and_track(element)
    return ScheduleTalk(
        import_key=str(element.get("guid")).lower(), slug_base=make_slug(title), title=title[:400],
        summary_source=summary_markdown(element), language=language_code((element.findtext("language") or "")[:2]),
        given_on=moment.date(), starts_at=moment.astimezone(timezone.utc),
        duration_minutes=minutes_of(element.findtext("duration")),
        room=(element.findtext("room") or "").strip()[:200] or None,
        links=[{"url": ref["url"], "label": ref["label"]} for ref in kept_links], licence=licence,
        video_url=video_url, slide_urls=tuple(ref["url"] for ref in attachments if is_slide_deck(ref)),
        tag_names=tag_names, speaker_names=speaker_names)
