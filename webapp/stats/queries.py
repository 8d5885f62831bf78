"""Aggregations over the anonymous daily counts: totals, trends and per-object sums for a period.

Everything is read from DailyCount and SearchQueryDay, summed in SQL per day or per object and
bucketed in Python (day, ISO week, month, year), so the same code runs on SQLite and PostgreSQL.
Drafts are included: these figures are for organisers. Days are UTC calendar days.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from webapp.core.visibility import public_talks
from webapp.extensions import db
from webapp.models import (
    DailyCount,
    Event,
    Metric,
    SearchQueryDay,
    SlideDeck,
    Speaker,
    Tag,
    Talk,
    TalkSpeaker,
    event_tags,
    talk_tags,
)

GRANULARITIES = ("day", "week", "month", "year")
PAGE_METRICS = (Metric.TALK_VIEW, Metric.EVENT_VIEW, Metric.SPEAKER_VIEW, Metric.TAG_VIEW)
DECK_METRICS = (Metric.DECK_DOWNLOAD, Metric.SLIDE_PAGE_VIEW)
SEARCHES, ZERO_RESULTS = "searches", "zero_results"


@dataclass(frozen=True)
class StatsScope:
    """What the figures cover: days start..end (both included), optionally one event or one tag."""

    start: date
    end: date
    granularity: str = "day"
    event: Event | None = None
    tag: Tag | None = None

    @property
    def is_filtered(self) -> bool:
        return self.event is not None or self.tag is not None


# Scope: which objects a filter keeps ------------------------------------------------------

def scoped_talk_ids(scope: StatsScope) -> Select | None:
    """The ids of the talks the event/tag filter keeps; None when nothing is filtered."""
    if not scope.is_filtered:
        return None
    query = select(Talk.id)
    if scope.event is not None:
        query = query.where(Talk.event_id == scope.event.id)
    if scope.tag is not None:
        query = query.where(Talk.id.in_(select(talk_tags.c.talk_id).where(talk_tags.c.tag_id == scope.tag.id)))
    return query


def _event_ids(scope: StatsScope) -> Select:
    query = select(Event.id)
    if scope.event is not None:
        query = query.where(Event.id == scope.event.id)
    if scope.tag is not None:
        tagged = select(event_tags.c.event_id).where(event_tags.c.tag_id == scope.tag.id)
        query = query.where(Event.id.in_(tagged) | Event.id.in_(
            select(Talk.event_id).where(Talk.id.in_(scoped_talk_ids(scope)))))
    return query


def _tag_ids(scope: StatsScope) -> Select:
    if scope.tag is not None:
        return select(Tag.id).where(Tag.id == scope.tag.id)
    return select(event_tags.c.tag_id).where(event_tags.c.event_id == scope.event.id).union(
        select(talk_tags.c.tag_id).where(talk_tags.c.talk_id.in_(scoped_talk_ids(scope))))


def metric_condition(metric: Metric, scope: StatsScope) -> ColumnElement[bool]:
    """Rows of that metric whose object the scope keeps."""
    talks = scoped_talk_ids(scope)
    is_metric = DailyCount.metric == metric
    if talks is None:
        return is_metric
    objects = {
        Metric.TALK_VIEW: lambda: talks,
        Metric.DECK_DOWNLOAD: lambda: select(SlideDeck.id).where(SlideDeck.talk_id.in_(talks)),
        Metric.SLIDE_PAGE_VIEW: lambda: select(SlideDeck.id).where(SlideDeck.talk_id.in_(talks)),
        Metric.SPEAKER_VIEW: lambda: select(TalkSpeaker.speaker_id).where(TalkSpeaker.talk_id.in_(talks)),
        Metric.EVENT_VIEW: lambda: _event_ids(scope),
        Metric.TAG_VIEW: lambda: _tag_ids(scope),
    }
    return and_(is_metric, DailyCount.object_id.in_(objects[metric]()))


def in_period(column, scope: StatsScope) -> ColumnElement[bool]:
    return column.between(scope.start, scope.end)


# Buckets ----------------------------------------------------------------------------------

def bucket_start(day: date, granularity: str) -> date:
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    if granularity == "year":
        return day.replace(month=1, day=1)
    return day


def _next_bucket(start: date, granularity: str) -> date:
    if granularity == "week":
        return start + timedelta(days=7)
    if granularity == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    if granularity == "year":
        return start.replace(year=start.year + 1)
    return start + timedelta(days=1)


def bucket_starts(start: date, end: date, granularity: str) -> list[date]:
    """The first day of every bucket that overlaps start..end, in order."""
    starts, current = [], bucket_start(start, granularity)
    while current <= end:
        starts.append(current)
        current = _next_bucket(current, granularity)
    return starts


def bucket_label(start: date, granularity: str) -> str:
    """ISO-style labels: 2016-10-05, 2016-W40, 2016-10, 2016."""
    if granularity == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if granularity == "month":
        return start.strftime("%Y-%m")
    if granularity == "year":
        return str(start.year)
    return start.isoformat()


# Totals and trends ------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendPoint:
    start: date
    label: str
    values: dict[str, int]  # metric value (and "searches", "zero_results") -> count


def _daily_metric_sums(scope: StatsScope) -> list[tuple[date, str, int]]:
    conditions = [metric_condition(metric, scope) for metric in (*PAGE_METRICS, *DECK_METRICS)]
    query = (select(DailyCount.day, DailyCount.metric, func.sum(DailyCount.count))
             .where(in_period(DailyCount.day, scope), or_(*conditions))
             .group_by(DailyCount.day, DailyCount.metric))
    return [(day, str(metric), int(total)) for day, metric, total in db.session.execute(query)]


def _daily_search_sums(scope: StatsScope) -> list[tuple[date, int, int]]:
    query = (select(SearchQueryDay.day, func.sum(SearchQueryDay.count),
                    func.sum(SearchQueryDay.zero_result_count))
             .where(in_period(SearchQueryDay.day, scope)).group_by(SearchQueryDay.day))
    return [(day, int(count), int(zero)) for day, count, zero in db.session.execute(query)]


def trend(scope: StatsScope) -> list[TrendPoint]:
    """One point per bucket of the period, every figure present (0 when nothing was counted)."""
    keys = [str(m) for m in (*PAGE_METRICS, *DECK_METRICS)] + [SEARCHES, ZERO_RESULTS]
    sums: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for day, metric, total in _daily_metric_sums(scope):
        sums[bucket_start(day, scope.granularity)][metric] += total
    for day, count, zero in _daily_search_sums(scope):
        bucket = sums[bucket_start(day, scope.granularity)]
        bucket[SEARCHES] += count
        bucket[ZERO_RESULTS] += zero
    return [TrendPoint(start, bucket_label(start, scope.granularity), dict(sums[start]))
            for start in bucket_starts(scope.start, scope.end, scope.granularity)]


def totals(points: list[TrendPoint]) -> dict[str, int]:
    """The sum of each figure over the whole period."""
    summed: dict[str, int] = defaultdict(int)
    for point in points:
        for key, value in point.values.items():
            summed[key] += value
    return dict(summed)


# Sums per object ---------------------------------------------------------------------------

def period_sums(key, start: date, end: date, condition, *join) -> dict:
    """{key value: count} of the rows matching `condition` on days start..end; `join` reaches the key."""
    query = select(key, func.sum(DailyCount.count)).select_from(DailyCount)
    if join:
        query = query.join(*join)
    query = query.where(DailyCount.day.between(start, end), condition).group_by(key)
    return {value: int(total) for value, total in db.session.execute(query)}


def sums_by(key, metric: Metric, scope: StatsScope, *join) -> dict:
    """{key value: count} for one metric over the scope's period and filters."""
    return period_sums(key, scope.start, scope.end, metric_condition(metric, scope), *join)


def talk_sums(scope: StatsScope) -> dict[str, dict[int, int]]:
    """Views, downloads and slide pages read, per talk id."""
    deck_join = (SlideDeck, SlideDeck.id == DailyCount.object_id)
    return {
        "views": sums_by(DailyCount.object_id, Metric.TALK_VIEW, scope),
        "downloads": sums_by(SlideDeck.talk_id, Metric.DECK_DOWNLOAD, scope, *deck_join),
        "pages": sums_by(SlideDeck.talk_id, Metric.SLIDE_PAGE_VIEW, scope, *deck_join),
    }


def grouped_talk_views(key, scope: StatsScope, *join) -> dict:
    """Talk views summed per `key` (an event, tag or speaker id reached through `join`)."""
    return sums_by(key, Metric.TALK_VIEW, scope, *join)


def deck_page_sums(scope: StatsScope, limit: int) -> list[tuple[int, int, int]]:
    """(deck id, page number, views) of the most-read slide pages."""
    total = func.sum(DailyCount.count)
    query = (select(DailyCount.object_id, DailyCount.page, total)
             .where(in_period(DailyCount.day, scope), metric_condition(Metric.SLIDE_PAGE_VIEW, scope))
             .group_by(DailyCount.object_id, DailyCount.page)
             .order_by(total.desc(), DailyCount.object_id, DailyCount.page).limit(limit))
    return [(deck_id, page, int(views)) for deck_id, page, views in db.session.execute(query)]


# Searches ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueryFigures:
    query: str
    count: int
    zero_result_count: int


def _query_sums(scope: StatsScope, zero_only: bool) -> Select:
    count, zero = func.sum(SearchQueryDay.count), func.sum(SearchQueryDay.zero_result_count)
    query = (select(SearchQueryDay.query, count, zero).where(in_period(SearchQueryDay.day, scope))
             .group_by(SearchQueryDay.query))
    if zero_only:
        return query.having(zero > 0).order_by(zero.desc(), count.desc(), SearchQueryDay.query)
    return query.order_by(count.desc(), zero.desc(), SearchQueryDay.query)


def top_queries(scope: StatsScope, limit: int) -> list[QueryFigures]:
    """The most searched queries of the period, with how many of those searches found nothing."""
    query = _query_sums(scope, zero_only=False).limit(limit)
    return [QueryFigures(q, int(c), int(z)) for q, c, z in db.session.execute(query)]


def zero_result_queries(scope: StatsScope, limit: int) -> list[QueryFigures]:
    """Queries that found nothing at least once in the period, the most frequent first."""
    query = _query_sums(scope, zero_only=True).limit(limit)
    return [QueryFigures(q, int(c), int(z)) for q, c, z in db.session.execute(query)]


# A speaker's own talks (shown on /profile) ------------------------------------------------------

@dataclass(frozen=True)
class TalkFigures:
    talk: Talk
    views: int
    downloads: int
    slide_pages: int


def talk_figures_for_speaker(speaker: Speaker, since: date, until: date) -> list[TalkFigures]:
    """Views, slide downloads and slide pages read of the speaker's public talks, most viewed first."""
    own = select(TalkSpeaker.talk_id).where(TalkSpeaker.speaker_id == speaker.id)
    talks = list(db.session.scalars(public_talks().where(Talk.id.in_(own))))
    ids = [talk.id for talk in talks]
    decks = (SlideDeck, SlideDeck.id == DailyCount.object_id)
    views = period_sums(DailyCount.object_id, since, until,
                        (DailyCount.metric == Metric.TALK_VIEW) & DailyCount.object_id.in_(ids))
    downloads, pages = (period_sums(SlideDeck.talk_id, since, until,
                                    (DailyCount.metric == metric) & SlideDeck.talk_id.in_(ids), *decks)
                        for metric in DECK_METRICS)
    figures = [TalkFigures(t, views.get(t.id, 0), downloads.get(t.id, 0), pages.get(t.id, 0)) for t in talks]
    return sorted(figures, key=lambda f: (-f.views, -f.downloads, -f.slide_pages, f.talk.title))


def public_view_total(talk) -> int | None:
    """The talk's counted views, if its event shows view counts to the public; else None."""
    if not talk.event.show_view_counts:
        return None
    return db.session.scalar(
        select(func.coalesce(func.sum(DailyCount.count), 0))
        .where(DailyCount.metric == Metric.TALK_VIEW, DailyCount.object_id == talk.id))


def event_choices() -> list[tuple[str, str]]:
    """(slug, title) of every event, newest first: the dashboard's event filter."""
    return list(db.session.execute(select(Event.slug, Event.title).order_by(Event.start_date.desc(), Event.title)))
