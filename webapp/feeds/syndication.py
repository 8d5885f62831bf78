"""Atom feeds and iCalendar files built from public rows (feedgen, icalendar).

Every query starts from core/visibility.py, so drafts and the talks of draft events never
reach a feed or a calendar. Output is deterministic for unchanged rows (no "now" timestamps), so
its hash is a sound ETag.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import icalendar
from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from webapp.core.visibility import public_talks
from webapp.extensions import db
from webapp.models import CuratedPath, Event, Speaker, Tag, Talk, TalkSpeaker
from webapp.paths.queries import public_items
from webapp.sanitize import strip_tags

ATOM_MIMETYPE = "application/atom+xml"
CALENDAR_MIMETYPE = "text/calendar"
# Timestamp of an archive with nothing public yet: Atom requires an <updated> value.
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
CALENDAR_REFRESH = timedelta(days=1)


@dataclass(frozen=True)
class Syndicated:
    """A rendered feed or calendar and the time its newest part changed (Last-Modified)."""

    body: bytes
    updated_at: datetime


# Queries ----------------------------------------------------------------------------------

def _with_relations(query: Select) -> Select:
    return query.options(
        selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker),
        selectinload(Talk.tags),
        selectinload(Talk.event),
    )


def _newest_talks(*conditions) -> list[Talk]:
    limit = max(1, current_app.config["FEED_SIZE"])
    query = (public_talks().where(*conditions)
             .order_by(Talk.published_at.desc().nulls_last(), Talk.id.desc()).limit(limit))
    return list(db.session.scalars(_with_relations(query)))


def _dated_talks(event: Event) -> list[Talk]:
    query = (public_talks()
             .where(Talk.event_id == event.id,
                    Talk.given_on.is_not(None) | Talk.starts_at.is_not(None))
             .order_by(Talk.position, Talk.id))
    return list(db.session.scalars(_with_relations(query)))


# Identifiers and timestamps ---------------------------------------------------------------

def site_host() -> str:
    """The host named in SITE_URL: stable identifiers do not depend on how a client came in."""
    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def talk_tag_uri(talk: Talk) -> str:
    """An Atom id that survives slug changes and moves (RFC 4151 tag URI)."""
    return f"tag:{site_host()},{talk.created_at.date().isoformat()}:talk/{talk.id}"


def _published_at(talk: Talk) -> datetime:
    return talk.published_at or talk.created_at


def talk_updated_at(talk: Talk) -> datetime:
    """When the entry last changed: the talk, its event or the name of one of its speakers."""
    stamps = [talk.updated_at, talk.event.updated_at, _published_at(talk)]
    stamps += [speaker.updated_at for speaker in talk.speakers]
    return max(stamps)


def _newest(stamps, fallback: datetime) -> datetime:
    return max(stamps, default=fallback)


# Atom -------------------------------------------------------------------------------------

class EntryDetails(BaseEntryExtension):
    """What feedgen 1.0 cannot write on an <entry>.

    xml:lang (a talk's title and summary are in the talk's own language), and links with their
    attributes: feedgen drops rel, type and hreflang from entry links, which would turn every
    link into an "alternate" one.
    """

    def __init__(self):
        self.language: str | None = None
        self.links: list[dict[str, str]] = []

    def set_language(self, code: str | None) -> None:
        self.language = code if code and _LANGUAGE_TAG.match(code) else None

    def extend_atom(self, entry):
        if self.language:
            entry.set(XML_LANG, self.language)
        for plain_link in entry.findall("link"):
            entry.remove(plain_link)
        for attributes in self.links:
            xml_elem("link", entry, **attributes)
        return entry


def _talk_links(entry: FeedEntry, talk: Talk) -> None:
    page_url = url_for("public.talk", slug=talk.slug, _external=True)
    entry.link(href=page_url)  # feedgen insists on a link; EntryDetails writes it in full
    alternate = {"href": page_url, "rel": "alternate", "type": "text/html"}
    if entry.details.language:
        alternate["hreflang"] = entry.details.language
    related = {"href": url_for("public.event", slug=talk.event.slug, _external=True),
               "rel": "related", "type": "text/html", "title": talk.event.title}
    entry.details.links = [alternate, related]


def _talk_people_and_tags(entry: FeedEntry, talk: Talk) -> None:
    for speaker in talk.speakers:
        entry.author(name=speaker.name,
                     uri=url_for("public.speaker", slug=speaker.slug, _external=True))
    for tag in talk.tags:
        entry.category(term=tag.name, label=tag.label,
                       scheme=url_for("public.tags", _external=True))


def _add_entry(feed: FeedGenerator, talk: Talk) -> None:
    entry = feed.add_entry(order="append")
    entry.register_extension("details", EntryDetails, atom=True, rss=False)
    entry.details.set_language(talk.language)
    entry.id(talk_tag_uri(talk))
    entry.title(talk.title)
    _talk_links(entry, talk)
    _talk_people_and_tags(entry, talk)
    entry.published(_published_at(talk))
    entry.updated(talk_updated_at(talk))
    if talk.summary:
        entry.summary(talk.summary, type="html")


@dataclass(frozen=True)
class FeedHead:
    """What a feed says about itself."""

    title: str
    subtitle: str
    self_url: str
    page_url: str
    updated_fallback: datetime = EPOCH


def _feed(head: FeedHead, talks: list[Talk]) -> Syndicated:
    site = current_app.config["SITE_NAME"]
    feed = FeedGenerator()
    feed.id(head.self_url)
    feed.title(head.title)
    feed.subtitle(head.subtitle)
    feed.link(href=head.self_url, rel="self", type=ATOM_MIMETYPE)
    feed.link(href=head.page_url, rel="alternate", type="text/html")
    feed.author(name=site, uri=url_for("public.home", _external=True))
    feed.language(str(get_locale()))
    feed.generator(site)
    for talk in talks:
        _add_entry(feed, talk)
    updated_at = _newest((talk_updated_at(talk) for talk in talks), head.updated_fallback)
    feed.updated(updated_at)
    return Syndicated(feed.atom_str(pretty=True), updated_at)


def _head(title: str, subtitle: str, pages: tuple[str, str], values: dict,
          updated_fallback: datetime = EPOCH) -> FeedHead:
    """A feed head; `pages` names the feed's own endpoint and the HTML page it follows."""
    feed_endpoint, page_endpoint = pages
    return FeedHead(title, subtitle, url_for(feed_endpoint, _external=True, **values),
                    url_for(page_endpoint, _external=True, **values), updated_fallback)


def latest_talks_feed() -> Syndicated:
    site = current_app.config["SITE_NAME"]
    head = _head(_("%(site)s: latest talks", site=site),
                 _("The newest talks published in the %(site)s archive.", site=site),
                 ("feeds.all_talks", "public.home"), {})
    return _feed(head, _newest_talks())


def tag_feed(tag: Tag) -> Syndicated:
    head = _head(_("Talks tagged %(tag)s", tag=tag.label),
                 _("The newest talks under %(tag)s in the %(site)s archive.",
                   tag=tag.label, site=current_app.config["SITE_NAME"]),
                 ("feeds.tag_feed", "public.tag"), {"tag": tag.name})
    return _feed(head, _newest_talks(Talk.tags.any(Tag.id == tag.id)))


def event_feed(event: Event) -> Syndicated:
    head = _head(_("Talks of %(event)s", event=event.title),
                 _("The talks given at %(event)s.", event=event.title),
                 ("feeds.event_feed", "public.event"), {"slug": event.slug}, event.updated_at)
    return _feed(head, _newest_talks(Talk.event_id == event.id))


def speaker_feed(speaker: Speaker) -> Syndicated:
    head = _head(_("Talks by %(name)s", name=speaker.name),
                 _("The newest talks given by %(name)s.", name=speaker.name),
                 ("feeds.speaker_feed", "public.speaker"), {"slug": speaker.slug},
                 speaker.updated_at)
    return _feed(head, _newest_talks(Talk.speaker_links.any(TalkSpeaker.speaker_id == speaker.id)))


def path_feed(path: CuratedPath) -> Syndicated:
    """A curated path's public talks, in the path's order."""
    head = _head(_("Curated path: %(title)s", title=path.title),
                 _("The talks of the curated path %(title)s.", title=path.title),
                 ("feeds.path_feed", "paths.path"), {"slug": path.slug}, path.updated_at)
    return _feed(head, [item.talk for item in public_items(path)])


# iCalendar --------------------------------------------------------------------------------

def _all_day_end(last_day: date) -> date:
    """DTEND of an all-day VEVENT is exclusive: the day after the last day."""
    return last_day + timedelta(days=1)


def _labels(tags: list[Tag]) -> tuple[str, ...]:
    return tuple(tag.label for tag in tags)


def _event_vevent(event: Event) -> icalendar.Event | None:
    if event.start_date is None:
        return None
    return icalendar.Event.new(
        uid=f"event-{event.id}@{site_host()}",
        stamp=event.updated_at,
        last_modified=event.updated_at,
        start=event.start_date,
        end=_all_day_end(max(event.end_date or event.start_date, event.start_date)),
        summary=event.title,
        location=event.place,
        description=strip_tags(event.description) or None,
        url=url_for("public.event", slug=event.slug, _external=True),
        categories=_labels(event.tags),
    )


def _talk_times(talk: Talk) -> tuple[date | datetime, date | datetime | None]:
    """(DTSTART, DTEND): an exact time when known, else the whole day it was given."""
    if talk.starts_at is None:
        return talk.given_on, _all_day_end(talk.given_on)
    if talk.duration_minutes and talk.duration_minutes > 0:
        return talk.starts_at, talk.starts_at + timedelta(minutes=talk.duration_minutes)
    return talk.starts_at, None


def _talk_description(talk: Talk) -> str | None:
    names = ", ".join(speaker.name for speaker in talk.speakers)
    parts = [_("Speakers: %(names)s", names=names) if names else "", strip_tags(talk.summary)]
    return "\n\n".join(part for part in parts if part) or None


def _talk_vevent(talk: Talk) -> icalendar.Event:
    start, end = _talk_times(talk)
    updated_at = talk_updated_at(talk)
    return icalendar.Event.new(
        uid=f"talk-{talk.id}@{site_host()}",
        stamp=updated_at,
        last_modified=updated_at,
        start=start,
        end=end,
        summary=talk.title,
        location=talk.event.place,
        description=_talk_description(talk),
        url=url_for("public.talk", slug=talk.slug, _external=True),
        categories=_labels(talk.tags),
    )


def event_calendar(event: Event) -> Syndicated | None:
    """The event and its dated public talks as an iCalendar; None when nothing has a date."""
    talks = _dated_talks(event)
    vevents = [v for v in [_event_vevent(event), *map(_talk_vevent, talks)] if v is not None]
    if not vevents:
        return None
    calendar = icalendar.Calendar.new(
        prodid=f"-//{current_app.config['SITE_NAME']}//{site_host()}//EN",
        uid=f"event-{event.id}-calendar@{site_host()}",
        name=event.title,
        url=url_for("public.event", slug=event.slug, _external=True),
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=CALENDAR_REFRESH,
        subcomponents=vevents,
    )
    updated_at = _newest((talk_updated_at(talk) for talk in talks), event.updated_at)
    return Syndicated(calendar.to_ical(), max(updated_at, event.updated_at))
