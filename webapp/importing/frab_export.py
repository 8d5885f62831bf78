"""An event's programme as a frab `schedule.xml` (the format frab, pretalx and the c3voc tools share).

The file validates against the published XSD (webapp/importing/frab_schema/schedule.xml.xsd): one
<day> per local day of the programme (in BABEL_DEFAULT_TIMEZONE), one <room> per room, one <event>
per talk, in programme order. A talk keeps its guid when it was imported from a schedule; any other
gets a stable one made from the site's address and the talk's id. The format needs a day and a start
for every talk: a talk known by its day only starts at 00:00 that day; one without a day is left out.
The abstract is the summary's Markdown (webapp/core/rich_text.py), as pretalx writes it.
"""
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.core.licences import licence_short_name
from webapp.core.rich_text import editable_column
from webapp.core.visibility import public_talk_condition
from webapp.extensions import db
from webapp.importing.frab_json import xml_safe
from webapp.models import Event, Talk, TalkSpeaker

GENERATOR = "Causeries"
FORMAT_VERSION = "1.0"


@dataclass(frozen=True)
class ScheduledTalk:
    talk: Talk
    starts_at: datetime  # in the programme's time zone

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + duration_of(self.talk)


def duration_of(talk: Talk) -> timedelta:
    """A talk of unknown length lasts 00:00 in the file, which the import reads back as unknown."""
    return timedelta(minutes=talk.duration_minutes or 0)


def programme_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def exported_talks(event: Event, public_only: bool) -> list[Talk]:
    query = (select(Talk).where(Talk.event_id == event.id).order_by(Talk.position, Talk.id)
             .options(selectinload(Talk.tags),
                      selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker)))
    if public_only:
        query = query.where(public_talk_condition())
    return list(db.session.scalars(query))


def local_start(talk: Talk, zone: ZoneInfo) -> datetime | None:
    if talk.starts_at is not None:
        return talk.starts_at.astimezone(zone)
    if talk.given_on is not None:
        return datetime.combine(talk.given_on, time(0), tzinfo=zone)
    return None


def scheduled(talks: list[Talk], zone: ZoneInfo) -> list[ScheduledTalk]:
    found = [ScheduledTalk(talk, start) for talk in talks if (start := local_start(talk, zone))]
    return sorted(found, key=lambda item: (item.starts_at, item.talk.position, item.talk.id))


def talk_guid(talk: Talk) -> str:
    try:
        return str(uuid.UUID(talk.import_key or ""))
    except ValueError:
        site = current_app.config["SITE_URL"].rstrip("/")
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site}/talks/id/{talk.id}"))


def conference_acronym(event: Event) -> str:
    """The event's slug, as the XSD's acronym pattern wants it ([a-z0-9_-], at least 4)."""
    acronym = "".join(c for c in event.slug.lower() if c.isascii() and (c.isalnum() or c in "_-"))
    return acronym.ljust(4, "_")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _hours_minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def sub(parent, tag: str, text=None, **attributes):
    child = etree.SubElement(parent, tag, {k: str(v) for k, v in attributes.items() if v is not None})
    if text is not None:
        child.text = xml_safe(str(text))
    return child


def add_conference(root, event: Event, items: list[ScheduledTalk], zone: ZoneInfo) -> None:
    conference = sub(root, "conference")
    sub(conference, "title", event.title)
    sub(conference, "acronym", conference_acronym(event))
    days = sorted({item.starts_at.date() for item in items})
    start, end = event.start_date or (days[0] if days else None), event.end_date or (days[-1] if days else None)
    if start:
        sub(conference, "start", start.isoformat())
    if end:
        sub(conference, "end", max(start, end).isoformat() if start else end.isoformat())
    sub(conference, "days", len(days))
    if event.website_url and event.website_url.startswith(("http://", "https://")):
        sub(conference, "url", event.website_url)
    sub(conference, "time_zone_name", zone.key)


def add_day(root, index: int, day: date, items: list[ScheduledTalk]) -> None:
    element = sub(root, "day", index=index, date=day.isoformat(), start=_iso(items[0].starts_at),
                  end=_iso(max(item.ends_at for item in items)))
    by_room = sorted(items, key=lambda item: item.talk.room or "")
    for room, in_room in groupby(by_room, key=lambda item: item.talk.room or ""):
        room_element = sub(element, "room", name=room)
        for item in in_room:
            add_talk(room_element, item)


def add_empty_day(root, event: Event, zone: ZoneInfo) -> None:
    """The XSD wants at least one day: a programme without talks has its first day, empty."""
    day = event.start_date or (event.updated_at or datetime.now(zone)).astimezone(zone).date()
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    sub(root, "day", index=1, date=day.isoformat(), start=_iso(midnight), end=_iso(midnight))


def add_talk(parent, item: ScheduledTalk) -> None:
    talk = item.talk
    element = sub(parent, "event", id=talk.id, guid=talk_guid(talk))
    sub(element, "room", talk.room or "")
    sub(element, "title", talk.title)
    sub(element, "type", "Talk")
    sub(element, "date", _iso(item.starts_at))
    sub(element, "start", item.starts_at.strftime("%H:%M"))
    sub(element, "duration", _hours_minutes(duration_of(talk)))
    sub(element, "abstract", editable_column(talk, "summary").text)
    sub(element, "track", talk.tags[0].name if talk.tags else "")
    sub(element, "url", url_for("public.talk", slug=talk.slug, _external=True))
    persons = sub(element, "persons")
    for speaker in talk.speakers:
        sub(persons, "person", speaker.name, id=speaker.id)
    if talk.language:
        sub(element, "language", talk.language)
    add_recording(element, talk)
    add_links(element, talk)


def add_recording(parent, talk: Talk) -> None:
    if not talk.licence and not talk.video_url:
        return
    recording = sub(parent, "recording")
    sub(recording, "license", licence_short_name(talk.licence) or "")
    sub(recording, "optout", "false")
    if talk.video_url and talk.video_url.startswith(("http://", "https://")):
        sub(recording, "url", talk.video_url)


def add_links(parent, talk: Talk) -> None:
    links = [link for link in talk.links or [] if isinstance(link, dict) and link.get("url")]
    if not links:
        return
    element = sub(parent, "links")
    for link in links:
        sub(element, "link", link.get("label") or link["url"], href=link["url"])


def schedule_xml(event: Event, public_only: bool = False) -> bytes:
    """The event's programme as a frab schedule.xml (UTF-8 bytes); public talks only when asked."""
    zone = programme_timezone()
    items = scheduled(exported_talks(event, public_only), zone)
    root = etree.Element("schedule")
    sub(root, "generator", name=GENERATOR)
    sub(root, "url", url_for("schedules.event_schedule_xml", slug=event.slug, _external=True))
    sub(root, "version", _iso(event.updated_at) if event.updated_at else FORMAT_VERSION)
    add_conference(root, event, items, zone)
    days = groupby(items, key=lambda item: item.starts_at.date())
    for index, (day, on_day) in enumerate(days, start=1):
        add_day(root, index, day, list(on_day))
    if not items:
        add_empty_day(root, event, zone)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
