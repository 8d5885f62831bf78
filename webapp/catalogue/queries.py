"""Read-side queries for the public pages and feeds. Everything goes through core/visibility.py.

Functions return rows or small dataclasses and never commit; only the canonical-address helpers
at the end read the request (to keep its query string in a 301) and raise 301 or 404.
"""
import math
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from webapp.catalogue.operations.tags_admin import resolve_tag_redirect
from webapp.core.naming import SLUG_COLUMN_LENGTH, normalize_tag
from webapp.core.params import paginate
from webapp.core.slugs import resolve_redirect
from webapp.core.visibility import (
    public_events,
    public_speakers,
    public_tags,
    public_talk_condition,
    public_talks,
)
from webapp.extensions import db
from webapp.models import Event, Series, Speaker, Status, Tag, Talk, TalkSpeaker, talk_tags

# Letters of the speakers index; everything else (digits, other scripts) sits under "#".
INDEX_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")
OTHER_LETTER = "#"
CLOUD_SIZE = 40
CLOUD_WEIGHTS = 5


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    talk_count: int
    weight: int = 1  # 1..CLOUD_WEIGHTS, for the cloud


@dataclass(frozen=True)
class Neighbours:
    previous: Talk | None
    next: Talk | None
    position: int  # 1-based
    total: int


def talk_list_options():
    """Loader options of a list of talk cards: speakers, tags and event in a few queries, not per talk."""
    return (
        selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker),
        selectinload(Talk.tags),
        selectinload(Talk.event),
    )


def _newest_talks_first(query: Select) -> Select:
    return query.join(Talk.event).order_by(
        func.coalesce(Talk.given_on, Event.start_date).desc().nulls_last(),
        Talk.position, Talk.id,
    )


def _newest_events_first(query: Select) -> Select:
    return query.order_by(Event.start_date.desc().nulls_last(), Event.title, Event.id)


# Home -------------------------------------------------------------------------------------

def latest_events(limit: int = 6) -> list[Event]:
    query = _newest_events_first(public_events()).options(selectinload(Event.tags)).limit(limit)
    return list(db.session.scalars(query))


def archive_totals() -> dict[str, int]:
    def count(query: Select) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    return {"events": count(public_events()), "talks": count(public_talks()),
            "speakers": count(public_speakers())}


def _tag_counts_query() -> Select:
    talk_count = func.count(Talk.id).label("talk_count")
    return (
        select(Tag, talk_count)
        .join(talk_tags, talk_tags.c.tag_id == Tag.id)
        .join(Talk, Talk.id == talk_tags.c.talk_id)
        .where(public_talk_condition())
        .group_by(Tag.id, Tag.name)
    )


def _weigh(counts: list[tuple[Tag, int]]) -> list[TagCount]:
    if not counts:
        return []
    low, high = math.log(min(c for _, c in counts)), math.log(max(c for _, c in counts))
    spread = (high - low) or 1.0
    return [TagCount(tag, n, 1 + round((math.log(n) - low) / spread * (CLOUD_WEIGHTS - 1)))
            for tag, n in counts]


def tag_cloud(limit: int = CLOUD_SIZE) -> list[TagCount]:
    """The most used public tags, alphabetically, weighted 1..5 by their number of public talks."""
    query = _tag_counts_query().order_by(func.count(Talk.id).desc(), Tag.name).limit(limit)
    counts = [(tag, n) for tag, n in db.session.execute(query)]
    return sorted(_weigh(counts), key=lambda item: item.tag.name)


# Events -----------------------------------------------------------------------------------

def events_page(page: int, per_page: int):
    return paginate(_newest_events_first(public_events()), page, per_page)


def event_years() -> list[tuple[int, int]]:
    """(year, number of public events), newest first."""
    year = func.extract("year", Event.start_date)
    query = (public_events().with_only_columns(year.label("year"), func.count(Event.id))
             .where(Event.start_date.is_not(None)).group_by(year).order_by(year.desc()))
    return [(int(y), n) for y, n in db.session.execute(query)]


def events_of_year_page(year: int, page: int, per_page: int):
    first, last = date(year, 1, 1), date(year, 12, 31)
    query = public_events().where(Event.start_date.between(first, last))
    return paginate(_newest_events_first(query).options(selectinload(Event.tags)), page, per_page)


def find_public_event(slug: str) -> Event | None:
    query = public_events().where(Event.slug == slug).options(selectinload(Event.tags))
    return db.session.scalar(query)


def event_programme(event: Event, preview: bool = False) -> list[Talk]:
    """The public programme; an organiser's preview shows every talk, drafts included (the page
    marks them), so the programme can be checked before anything is published."""
    base = select(Talk) if preview else public_talks()
    query = (base.where(Talk.event_id == event.id)
             .order_by(Talk.position, Talk.id).options(*talk_list_options()))
    return list(db.session.scalars(query))


# Talks ------------------------------------------------------------------------------------

def find_public_talk(slug: str) -> Talk | None:
    query = public_talks().where(Talk.slug == slug).options(
        *talk_list_options(), selectinload(Talk.series))
    return db.session.scalar(query)


def _neighbours(ordered: list[Talk], talk: Talk, total: int | None = None) -> Neighbours:
    index = next(i for i, other in enumerate(ordered) if other.id == talk.id)
    return Neighbours(
        previous=ordered[index - 1] if index > 0 else None,
        next=ordered[index + 1] if index + 1 < len(ordered) else None,
        position=index + 1,
        total=max(total or 0, len(ordered)),
    )


def _talks_seen_with(talk: Talk, preview: bool) -> Select:
    """Public talks; a preview of `talk` shows it (and its event) as if published."""
    if not preview:
        return public_talks()
    return select(Talk).where(or_(
        public_talk_condition(), Talk.id == talk.id,
        and_(Talk.event_id == talk.event_id, Talk.status == Status.PUBLISHED)))


def programme_neighbours(talk: Talk, preview: bool = False) -> Neighbours:
    ordered = list(db.session.scalars(
        _talks_seen_with(talk, preview).where(Talk.event_id == talk.event_id)
        .order_by(Talk.position, Talk.id)))
    return _neighbours(ordered, talk)


def series_neighbours(talk: Talk, preview: bool = False) -> Neighbours | None:
    """Where the talk sits in its series; "1 of 6" uses Series.planned_count when set."""
    series: Series | None = talk.series
    if series is None:
        return None
    ordered = list(db.session.scalars(
        _talks_seen_with(talk, preview).where(Talk.series_id == series.id)
        .order_by(Talk.series_position.nulls_last(), Talk.given_on, Talk.id)))
    found = _neighbours(ordered, talk, series.planned_count)
    if talk.series_position:
        found = Neighbours(found.previous, found.next, talk.series_position,
                           max(found.total, talk.series_position))
    return found


# Speakers ---------------------------------------------------------------------------------

def _initial():
    return func.substr(Speaker.sort_key, 1, 1)


def speaker_letters() -> list[str]:
    """Index letters that have at least one public speaker, "#" last."""
    query = public_speakers().with_only_columns(_initial()).distinct()
    initials = {(i or "").lower() for i in db.session.scalars(query)}
    letters = [letter for letter in INDEX_LETTERS if letter in initials]
    return letters + ([OTHER_LETTER] if initials - set(INDEX_LETTERS) else [])


def _letter_condition(letter: str):
    if letter == OTHER_LETTER:
        return or_(_initial() < "a", _initial() > "z")
    return _initial() == letter


def speakers_page(letter: str | None, page: int, per_page: int):
    query = public_speakers().order_by(Speaker.sort_key, Speaker.id)
    if letter:
        query = query.where(_letter_condition(letter))
    return paginate(query, page, per_page)


def public_talk_counts(speaker_ids: list[int]) -> dict[int, int]:
    """Number of public talks for each of the given speakers, in one query."""
    if not speaker_ids:
        return {}
    query = (select(TalkSpeaker.speaker_id, func.count(Talk.id))
             .join(Talk, Talk.id == TalkSpeaker.talk_id)
             .where(TalkSpeaker.speaker_id.in_(speaker_ids), public_talk_condition())
             .group_by(TalkSpeaker.speaker_id))
    return {speaker_id: count for speaker_id, count in db.session.execute(query)}


def web_links(links) -> list[tuple[str, str]]:
    """(label, url) of a speaker's links, keeping only well-formed http(s) ones."""
    found = []
    for link in links if isinstance(links, list) else []:
        url = link.get("url") if isinstance(link, dict) else None
        if isinstance(url, str) and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
            label = link.get("label")
            found.append((label if isinstance(label, str) and label.strip() else url, url))
    return found


def find_public_speaker(slug: str) -> Speaker | None:
    query = public_speakers().where(Speaker.slug == slug).options(selectinload(Speaker.aliases))
    return db.session.scalar(query)


def speaker_talks_page(speaker: Speaker, page: int, per_page: int):
    query = public_talks().where(
        Talk.speaker_links.any(TalkSpeaker.speaker_id == speaker.id))
    return paginate(_newest_talks_first(query).options(*talk_list_options()), page, per_page)


# Tags -------------------------------------------------------------------------------------

def tags_page(page: int, per_page: int):
    """One page of public tags A-Z; `.items` are TagCount (tag and its number of public talks)."""
    pagination = paginate(public_tags().order_by(Tag.name), page, per_page)
    ids = [tag.id for tag in pagination.items]
    counts = dict(db.session.execute(
        _tag_counts_query().with_only_columns(Tag.id, func.count(Talk.id)).where(Tag.id.in_(ids))
    ).all())
    pagination.items = [TagCount(tag, counts.get(tag.id, 0)) for tag in pagination.items]
    return pagination


def find_public_tag(name: str) -> Tag | None:
    return db.session.scalar(public_tags().where(Tag.name == name))


def tag_talks_page(tag: Tag, page: int, per_page: int):
    query = public_talks().where(Talk.tags.any(Tag.id == tag.id))
    return paginate(_newest_talks_first(query).options(*talk_list_options()), page, per_page)


def tag_events(tag: Tag) -> list[Event]:
    """Public events that have at least one public talk under this tag."""
    has_tagged_talk = Event.talks.any(and_(public_talk_condition(), Talk.tags.any(Tag.id == tag.id)))
    return list(db.session.scalars(_newest_events_first(public_events().where(has_tagged_talk))))


# Canonical addresses, for pages and feeds ---------------------------------------------------
# A URL names a public row; an old slug or another spelling of a tag answers 301 to the current
# address (the query string kept); anything else is a 404. The helpers raise, so views read
# `event = public_or_moved("event", slug, "public.event")`.

CANONICAL_FINDERS = {
    "event": find_public_event,
    "talk": find_public_talk,
    "speaker": find_public_speaker,
}


def _moved(endpoint: str, **values):
    """301 to the canonical address, the query string kept byte for byte: it is never handed to
    url_for, where keys such as `_anchor`, `_external` or `slug` would change the address or fail."""
    query = request.query_string.decode("latin-1")
    abort(redirect(url_for(endpoint, **values) + (f"?{query}" if query else ""), 301))


def public_or_moved(kind: str, slug: str, endpoint: str):
    """The public row of that kind with that slug, or a 301 from an old slug, or a 404."""
    if not 0 < len(slug) <= SLUG_COLUMN_LENGTH:
        abort(404)
    found = CANONICAL_FINDERS[kind](slug)
    if found is not None:
        return found
    target = resolve_redirect(kind, slug)
    if target is None or target == slug or CANONICAL_FINDERS[kind](target) is None:
        abort(404)
    _moved(endpoint, slug=target)


def public_tag_or_moved(raw: str, endpoint: str):
    """The public tag spelt `raw`, or a 301 to its normalised spelling, or a 404."""
    name = normalize_tag(raw)
    if not name:
        abort(404)
    if name != raw:
        _moved(endpoint, tag=name)
    found = find_public_tag(name)
    if found is None:
        _follow_renamed_tag(name, endpoint)
    return found


def _follow_renamed_tag(name: str, endpoint: str) -> None:
    """A renamed or merged tag's old name answers 301 to its current one; else a 404."""
    target = resolve_tag_redirect(name)
    if target is None or target == name or find_public_tag(target) is None:
        abort(404)
    _moved(endpoint, tag=target)
