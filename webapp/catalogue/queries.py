"""Read-side queries for the public pages and feeds. Everything goes through core/visibility.py.

No page counts or sorts the whole archive: counts, the tag cloud and newest-first lists come from
the summary data (webapp/catalogue/summary/), and every query reads an index range.

Functions return rows or small dataclasses and never commit; only the canonical-address helpers
at the end read the request (to keep its query string in a 301) and raise 301 or 404.
"""
import math
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from sqlalchemy import Row, Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from webapp.catalogue.operations.tags_admin import resolve_tag_redirect
from webapp.catalogue.summary.keys import INDEX_LETTERS, OTHER_LETTER, year_key
from webapp.core.naming import SLUG_COLUMN_LENGTH, normalize_tag
from webapp.core.params import paginate
from webapp.core.slugs import resolve_redirect
from webapp.core.talk_cards import talk_cards
from webapp.core.visibility import (
    public_events,
    public_speakers,
    public_tags,
    public_talk_condition,
    public_talks,
)
from webapp.extensions import db
from webapp.models import (
    ArchiveCount,
    Event,
    Facet,
    Series,
    Speaker,
    Status,
    Tag,
    TagEvent,
    Talk,
    TalkSpeaker,
    talk_tags,
)

CLOUD_SIZE = 40
CLOUD_WEIGHTS = 5


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    talk_count: int
    weight: int = 1  # 1..CLOUD_WEIGHTS, for the cloud


@dataclass(frozen=True)
class Neighbours:
    previous: Row | None  # (id, slug, title) of a talk: what a link to it needs
    next: Row | None
    position: int  # 1-based
    total: int


def talk_list_options():
    """Loader options of a list of talk cards: speakers, tags and event in a few queries, not per talk."""
    return (
        selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker),
        selectinload(Talk.tags),
        selectinload(Talk.event),
    )


def _listed_talks(link, owner_column, owner_id: int) -> Select:
    """The public talks of a tag or speaker, newest first, read from its link rows' listing index
    (the talk's own rule is checked too: a listing not yet refreshed never shows a draft)."""
    return (public_talks().join(link, link.c.talk_id == Talk.id)
            .where(owner_column == owner_id, link.c.is_public.is_(True))
            .order_by(link.c.listed_on.desc(), link.c.talk_position, link.c.talk_id))


def _card_page(talks: Select, page: int, per_page: int, total: int):
    """One page of a list of public talks: their ids read in order, then their cards."""
    pagination = paginate(talks.with_only_columns(Talk.id), page, per_page, total=total)
    pagination.items = talk_cards(pagination.items)
    return pagination


def _newest_events_first(query: Select) -> Select:
    """Newest first, undated last (Event.listed_on is the start date, or a day before all others)."""
    return query.order_by(Event.listed_on.desc(), Event.title, Event.id)


def archive_count(facet: str, value: str = "") -> int:
    """One number of the summary data: the public events of 2016, the public speakers under "m"..."""
    return db.session.scalar(select(ArchiveCount.count).where(
        ArchiveCount.facet == facet, ArchiveCount.value == value)) or 0


def archive_counts(facet: str, limit: int | None = None, by_value: bool = False) -> list[tuple[str, int]]:
    """(value, count) of a facet, the largest first (or by value, descending), zeros left out."""
    order = (ArchiveCount.value.desc(),) if by_value else (ArchiveCount.count.desc(), ArchiveCount.value)
    query = (select(ArchiveCount.value, ArchiveCount.count)
             .where(ArchiveCount.facet == facet, ArchiveCount.count > 0).order_by(*order).limit(limit))
    return [(value, count) for value, count in db.session.execute(query)]


# Home -------------------------------------------------------------------------------------

def latest_events(limit: int = 6) -> list[Event]:
    query = _newest_events_first(public_events()).options(selectinload(Event.tags)).limit(limit)
    return list(db.session.scalars(query))


TOTALS = {"events": Facet.EVENTS_BY_YEAR, "talks": Facet.TALKS_BY_YEAR, "speakers": Facet.SPEAKERS_BY_LETTER,
          "tags": Facet.PUBLIC_TAGS}


def archive_totals() -> dict[str, int]:
    """Public events, talks, speakers and tags: sums of a few partitions, in one query."""
    query = (select(ArchiveCount.facet, func.sum(ArchiveCount.count))
             .where(ArchiveCount.facet.in_(TOTALS.values())).group_by(ArchiveCount.facet))
    sums = dict(db.session.execute(query).all())
    return {name: int(sums.get(facet) or 0) for name, facet in TOTALS.items()}


def _weigh(counts: list[tuple[Tag, int]]) -> list[TagCount]:
    if not counts:
        return []
    low, high = math.log(min(c for _, c in counts)), math.log(max(c for _, c in counts))
    spread = (high - low) or 1.0
    return [TagCount(tag, n, 1 + round((math.log(n) - low) / spread * (CLOUD_WEIGHTS - 1)))
            for tag, n in counts]


def tag_cloud(limit: int = CLOUD_SIZE) -> list[TagCount]:
    """The most used public tags, alphabetically, weighted 1..5 by their number of public talks."""
    query = (select(Tag).where(Tag.public_talk_count > 0)
             .order_by(Tag.public_talk_count.desc(), Tag.name).limit(limit))
    counts = [(tag, tag.public_talk_count) for tag in db.session.scalars(query)]
    return sorted(_weigh(counts), key=lambda item: item.tag.name)


# Events -----------------------------------------------------------------------------------

def events_page(page: int, per_page: int):
    query = _newest_events_first(public_events()).options(selectinload(Event.tags))
    return paginate(query, page, per_page, total=archive_totals()["events"])


def event_years() -> list[tuple[int, int]]:
    """(year, number of public events), newest first."""
    return [(int(year), n) for year, n in archive_counts(Facet.EVENTS_BY_YEAR, by_value=True) if year]


def events_of_year_page(year: int, page: int, per_page: int):
    first, last = date(year, 1, 1), date(year, 12, 31)
    query = public_events().where(Event.listed_on.between(first, last), Event.start_date.is_not(None))
    total = archive_count(Facet.EVENTS_BY_YEAR, year_key(first))
    return paginate(_newest_events_first(query).options(selectinload(Event.tags)), page, per_page, total=total)


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


def _sequence_links(query: Select) -> list[Row]:
    """(id, slug, title) of the talks of a programme or series: a long programme's other talks
    are not loaded as whole talks to link to two of them."""
    return list(db.session.execute(query.with_only_columns(Talk.id, Talk.slug, Talk.title)))


def _neighbours(ordered: list[Row], talk: Talk, total: int | None = None) -> Neighbours:
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
    ordered = _sequence_links(_talks_seen_with(talk, preview).where(Talk.event_id == talk.event_id)
                              .order_by(Talk.position, Talk.id))
    return _neighbours(ordered, talk)


def series_neighbours(talk: Talk, preview: bool = False) -> Neighbours | None:
    """Where the talk sits in its series; "1 of 6" uses Series.planned_count when set."""
    series: Series | None = talk.series
    if series is None:
        return None
    ordered = _sequence_links(_talks_seen_with(talk, preview).where(Talk.series_id == series.id)
                              .order_by(Talk.series_position.nulls_last(), Talk.given_on, Talk.id))
    found = _neighbours(ordered, talk, series.planned_count)
    if talk.series_position:
        found = Neighbours(found.previous, found.next, talk.series_position,
                           max(found.total, talk.series_position))
    return found


# Speakers ---------------------------------------------------------------------------------

def speaker_letters() -> list[str]:
    """Index letters that have at least one public speaker, "#" last."""
    found = {letter for letter, _ in archive_counts(Facet.SPEAKERS_BY_LETTER)}
    return [letter for letter in (*INDEX_LETTERS, OTHER_LETTER) if letter in found]


def speakers_page(letter: str | None, page: int, per_page: int):
    """Speakers with public talks A-Z (`public_talk_count` says how many each), one letter or all."""
    query = select(Speaker).where(Speaker.public_talk_count > 0).order_by(Speaker.sort_key, Speaker.id)
    if letter:
        query = query.where(Speaker.index_letter == letter)
        total = archive_count(Facet.SPEAKERS_BY_LETTER, letter)
    else:
        total = archive_totals()["speakers"]
    return paginate(query, page, per_page, total=total)


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
    """One page of the speaker's public talks, newest first, as cards."""
    query = _listed_talks(TalkSpeaker.__table__, TalkSpeaker.speaker_id, speaker.id)
    return _card_page(query, page, per_page, speaker.public_talk_count)


# Tags -------------------------------------------------------------------------------------

def tags_page(page: int, per_page: int):
    """One page of public tags A-Z; `.items` are TagCount (tag and its number of public talks)."""
    query = select(Tag).where(Tag.public_talk_count > 0).order_by(Tag.name)
    pagination = paginate(query, page, per_page, total=archive_count(Facet.PUBLIC_TAGS))
    pagination.items = [TagCount(tag, tag.public_talk_count) for tag in pagination.items]
    return pagination


def find_public_tag(name: str) -> Tag | None:
    return db.session.scalar(public_tags().where(Tag.name == name))


def tag_talks_page(tag: Tag, page: int, per_page: int):
    """One page of the tag's public talks, newest first, as cards."""
    return _card_page(_listed_talks(talk_tags, talk_tags.c.tag_id, tag.id), page, per_page, tag.public_talk_count)


TAG_PAGE_EVENTS = 12  # the tag page's newest events; /events/?tag= lists them all


def _tag_events_query(tag: Tag) -> Select:
    """Public events that have at least one public talk under this tag, newest first."""
    return (public_events().join(TagEvent, TagEvent.event_id == Event.id).where(TagEvent.tag_id == tag.id)
            .order_by(TagEvent.listed_on.desc(), TagEvent.event_id))


def tag_events(tag: Tag, limit: int = TAG_PAGE_EVENTS) -> list[Event]:
    """The newest of the tag's events (Tag.public_event_count says how many it has in all)."""
    return list(db.session.scalars(_tag_events_query(tag).limit(limit)))


def tag_events_page(tag: Tag, page: int, per_page: int):
    """One page of all the tag's events, newest first (the events page filtered by a tag)."""
    query = _tag_events_query(tag).options(selectinload(Event.tags))
    return paginate(query, page, per_page, total=tag.public_event_count)


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
