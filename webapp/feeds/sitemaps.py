"""The sitemap: every public page with the time it last changed.

Rows are read as plain columns, one page at a time (offset/limit in a stable order, streamed with
yield_per), never as a whole table of ORM objects. When the archive holds more URLs than one
sitemap may list, /sitemap.xml becomes an index of per-kind pages (/sitemaps/talks-2.xml).
"""
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import Select, func, select

from webapp.core.visibility import (
    public_events,
    public_paths,
    public_tags,
    public_talk_condition,
    public_talks,
)
from webapp.extensions import db
from webapp.models import CuratedPath, Event, Speaker, Status, Tag, Talk, TalkSpeaker, talk_tags

STREAM_BATCH = 1000


@dataclass(frozen=True)
class SitemapLink:
    """One <url>: the public endpoint and its arguments, for url_for, and its lastmod."""

    endpoint: str
    values: dict = field(default_factory=dict)
    lastmod: datetime | None = None

    @property
    def lastmod_w3c(self) -> str | None:
        if self.lastmod is None:
            return None
        return self.lastmod.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


@dataclass(frozen=True)
class SitemapPart:
    """One page of the index: /sitemaps/<kind>-<page>.xml."""

    kind: str
    page: int


def _newest(*stamps: datetime | None) -> datetime | None:
    present = [stamp for stamp in stamps if stamp is not None]
    return max(present) if present else None


# The rows of each kind, in a stable order -------------------------------------------------

def archive_updated_at() -> datetime | None:
    """When anything public last changed: the lastmod of the home page and the lists."""
    talks = db.session.scalar(public_talks().with_only_columns(func.max(Talk.updated_at)))
    events = db.session.scalar(public_events().with_only_columns(func.max(Event.updated_at)))
    return _newest(talks, events)


def _year_rows() -> Select:
    year = func.extract("year", Event.start_date)
    return (public_events().with_only_columns(year.label("year"), func.max(Event.updated_at))
            .where(Event.start_date.is_not(None)).group_by(year).order_by(year))


def _event_rows() -> Select:
    """Public events, and when their newest public talk changed (grouped, not per row)."""
    public_talk_of_event = (Talk.event_id == Event.id) & (Talk.status == Status.PUBLISHED)
    return (public_events()
            .with_only_columns(Event.slug, Event.updated_at, func.max(Talk.updated_at))
            .outerjoin(Talk, public_talk_of_event)
            .group_by(Event.id, Event.slug, Event.updated_at).order_by(Event.id))


def _talk_rows() -> Select:
    return public_talks().with_only_columns(Talk.slug, Talk.updated_at).order_by(Talk.id)


def _path_rows() -> Select:
    return public_paths().with_only_columns(CuratedPath.slug, CuratedPath.updated_at).order_by(CuratedPath.id)


def _speaker_rows() -> Select:
    """Speakers of at least one public talk (as in visibility.public_speakers), with the
    newest change of those talks; one grouped join rather than a subquery per speaker."""
    return (select(Speaker.slug, Speaker.updated_at, func.max(Talk.updated_at))
            .join(TalkSpeaker, TalkSpeaker.speaker_id == Speaker.id)
            .join(Talk, Talk.id == TalkSpeaker.talk_id)
            .where(public_talk_condition())
            .group_by(Speaker.id, Speaker.slug, Speaker.updated_at).order_by(Speaker.id))


def _tag_rows() -> Select:
    return (select(Tag.name, func.max(Talk.updated_at))
            .join(talk_tags, talk_tags.c.tag_id == Tag.id)
            .join(Talk, Talk.id == talk_tags.c.talk_id)
            .where(public_talk_condition()).group_by(Tag.id, Tag.name).order_by(Tag.name))


@dataclass(frozen=True)
class Kind:
    """How to list one kind of page: the rows, and how a row becomes a link."""

    rows: Callable[[], Select]
    count: Callable[[], Select]
    to_link: Callable[[tuple], SitemapLink]


def _count_of(rows: Callable[[], Select]) -> Callable[[], Select]:
    return lambda: select(func.count()).select_from(rows().order_by(None).subquery())


KINDS: dict[str, Kind] = {
    "years": Kind(_year_rows, _count_of(_year_rows), lambda row: SitemapLink(
        "public.events_year", {"year": int(row[0])}, row[1])),
    "events": Kind(_event_rows, _count_of(_event_rows), lambda row: SitemapLink(
        "public.event", {"slug": row[0]}, _newest(row[1], row[2]))),
    "talks": Kind(_talk_rows, _count_of(_talk_rows), lambda row: SitemapLink(
        "public.talk", {"slug": row[0]}, row[1])),
    "speakers": Kind(_speaker_rows, _count_of(_speaker_rows), lambda row: SitemapLink(
        "public.speaker", {"slug": row[0]}, _newest(row[1], row[2]))),
    "tags": Kind(_tag_rows, lambda: select(func.count()).select_from(public_tags().subquery()),
                 lambda row: SitemapLink("public.tag", {"tag": row[0]}, row[1])),
    "paths": Kind(_path_rows, _count_of(_path_rows), lambda row: SitemapLink(
        "paths.path", {"slug": row[0]}, row[1])),
}
# The fixed pages come first; they are not read from a table.
FIXED_KIND = "pages"
FIXED_ENDPOINTS = ("public.home", "public.events", "public.speakers", "public.tags")
SITEMAP_KINDS = (FIXED_KIND, *KINDS)


# Counting and paging ----------------------------------------------------------------------

def count_links_of(kind: str) -> int:
    if kind == FIXED_KIND:
        return len(FIXED_ENDPOINTS)
    return db.session.scalar(KINDS[kind].count()) or 0


def count_sitemap_links() -> dict[str, int]:
    """How many URLs of each kind the sitemap lists, in SITEMAP_KINDS order."""
    return {kind: count_links_of(kind) for kind in SITEMAP_KINDS}


def needs_sitemap_index(counts: dict[str, int], page_size: int) -> bool:
    return sum(counts.values()) > page_size


def page_count(link_count: int, page_size: int) -> int:
    return math.ceil(link_count / page_size)


def sitemap_parts(counts: dict[str, int], page_size: int) -> list[SitemapPart]:
    """Every page of the index, kind by kind; kinds without URLs have no page."""
    return [SitemapPart(kind, page) for kind in SITEMAP_KINDS
            for page in range(1, page_count(counts[kind], page_size) + 1)]


def _fixed_links() -> list[SitemapLink]:
    updated_at = archive_updated_at()
    return [SitemapLink(endpoint, {}, updated_at) for endpoint in FIXED_ENDPOINTS]


def _stream(query: Select) -> Iterator[tuple]:
    yield from db.session.execute(query.execution_options(yield_per=STREAM_BATCH))


def iter_sitemap_links(kind: str, offset: int = 0, limit: int | None = None) -> Iterator[SitemapLink]:
    """The links of one kind, from `offset`, at most `limit` of them."""
    if kind == FIXED_KIND:
        yield from _fixed_links()[offset:None if limit is None else offset + limit]
        return
    spec = KINDS[kind]
    query = spec.rows().offset(offset).limit(limit)
    yield from (spec.to_link(tuple(row)) for row in _stream(query))


def sitemap_page_links(kind: str, page: int, page_size: int) -> Iterator[SitemapLink]:
    return iter_sitemap_links(kind, (page - 1) * page_size, page_size)


def all_sitemap_links() -> Iterator[SitemapLink]:
    for kind in SITEMAP_KINDS:
        yield from iter_sitemap_links(kind)
