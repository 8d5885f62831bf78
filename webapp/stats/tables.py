"""The dashboard's tables, one builder per table: the same rows feed the page, the charts and the CSV.

A table is a title, column headings and rows of plain values (text and whole numbers); the first
cell of a row may link to the object's workspace page.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_skeleton
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.core.i18n import format_day
from webapp.extensions import db
from webapp.models import (
    DailyCount,
    Event,
    Metric,
    SearchRule,
    SearchRuleKind,
    SlideDeck,
    Speaker,
    Tag,
    Talk,
    TalkSpeaker,
    talk_tags,
)
from webapp.stats import charts, queries
from webapp.stats.queries import SEARCHES, ZERO_RESULTS, StatsScope

TABLE_ROWS = 20  # on the page; the CSV has every row
SEARCH_HEADING = lazy_pgettext("noun", "Search")  # the words searched: a noun, apart from the buttons' verb
CSV_ROWS = 100_000


@dataclass
class TableRow:
    cells: tuple
    link: tuple[str, dict] | None = None  # (endpoint, values) for the first cell


@dataclass
class StatsTable:
    key: str
    title: str
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)
    numeric_from: int = 1  # cells from this index on are counts...
    numeric_until: int = 99  # ...up to this one (excluded)


def figure_labels() -> dict[str, str]:
    return {
        str(Metric.TALK_VIEW): _l("Talk page views"), str(Metric.EVENT_VIEW): _l("Event page views"),
        str(Metric.SPEAKER_VIEW): _l("Speaker page views"), str(Metric.TAG_VIEW): _l("Tag page views"),
        str(Metric.DECK_DOWNLOAD): _l("Slide downloads"), str(Metric.SLIDE_PAGE_VIEW): _l("Slide pages read"),
        SEARCHES: _l("Searches"), ZERO_RESULTS: _l("Searches that found nothing"),
    }


def _ranked(figures: list[dict], limit: int) -> list:
    """The keys of the figures, the largest first (by the first figure, then the next...)."""
    keys = set().union(*figures)
    return sorted(keys, key=lambda k: (*(-f.get(k, 0) for f in figures), k))[:limit]


def _by_id(model, ids, *options) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))}


def totals_table(points: list[queries.TrendPoint], limit: int = 0) -> StatsTable:
    summed, labels = queries.totals(points), figure_labels()
    return StatsTable("totals", _l("Totals"), [_l("Figure"), _l("Count")],
                      [TableRow((labels[key], summed.get(key, 0))) for key in labels])


def trend_table(points: list[queries.TrendPoint], limit: int = 0) -> StatsTable:
    labels = figure_labels()
    rows = [TableRow((point.label, *(point.values[key] for key in labels))) for point in points]
    return StatsTable("trend", _l("Over time"), [_l("Period"), *labels.values()], rows)


def talks_table(scope: StatsScope, limit: int) -> StatsTable:
    sums = queries.talk_sums(scope)
    figures = [sums["views"], sums["downloads"], sums["pages"]]
    talks = _by_id(Talk, ranked := _ranked(figures, limit), selectinload(Talk.event))
    rows = [TableRow((talks[i].title, talks[i].event.title, *(f.get(i, 0) for f in figures)),
                     ("manage.talk_edit", {"talk_id": i})) for i in ranked if i in talks]
    return StatsTable("talks", _l("Talks"), [_l("Talk"), _l("Event"), _l("Views"), _l("Slide downloads"),
                                            _l("Slide pages read")], rows, numeric_from=2)


@dataclass(frozen=True)
class ObjectKind:
    """An object with its own page (event, tag, speaker) whose talks are viewed too."""

    name: str  # "event": the workspace page is manage.event_edit(event_id=...)
    model: type
    page_metric: Metric
    talk_key: object  # the object's id column, reached from a talk view row through talk_join
    talk_join: tuple
    label: Callable


EVENTS = ObjectKind("event", Event, Metric.EVENT_VIEW, Talk.event_id, (Talk, Talk.id == DailyCount.object_id),
                    lambda event: event.title)
TAGS = ObjectKind("tag", Tag, Metric.TAG_VIEW, talk_tags.c.tag_id,
                  (talk_tags, talk_tags.c.talk_id == DailyCount.object_id), lambda tag: tag.label)
SPEAKERS = ObjectKind("speaker", Speaker, Metric.SPEAKER_VIEW, TalkSpeaker.speaker_id,
                      (TalkSpeaker, TalkSpeaker.talk_id == DailyCount.object_id), lambda speaker: speaker.name)


def _object_table(kind: ObjectKind, title, heading, scope: StatsScope, limit: int) -> StatsTable:
    figures = [queries.sums_by(DailyCount.object_id, kind.page_metric, scope),
               queries.grouped_talk_views(kind.talk_key, scope, *kind.talk_join)]
    objects = _by_id(kind.model, ranked := _ranked(figures, limit))
    rows = [TableRow((kind.label(objects[i]), *(f.get(i, 0) for f in figures)),
                     (f"manage.{kind.name}_edit", {f"{kind.name}_id": i})) for i in ranked if i in objects]
    return StatsTable(f"{kind.name}s", title, [heading, _l("Page views"), _l("Views of its talks")], rows)


def events_table(scope: StatsScope, limit: int) -> StatsTable:
    return _object_table(EVENTS, _l("Events"), _l("Event"), scope, limit)


def tags_table(scope: StatsScope, limit: int) -> StatsTable:
    return _object_table(TAGS, _l("Tags"), _l("Tag"), scope, limit)


def speakers_table(scope: StatsScope, limit: int) -> StatsTable:
    return _object_table(SPEAKERS, _l("Speakers"), _l("Speaker"), scope, limit)


def _deck_label(deck: SlideDeck) -> str:
    return f"{deck.original_name} (v{deck.version})"


def decks_table(scope: StatsScope, limit: int) -> StatsTable:
    figures = [queries.sums_by(DailyCount.object_id, Metric.DECK_DOWNLOAD, scope),
               queries.sums_by(DailyCount.object_id, Metric.SLIDE_PAGE_VIEW, scope)]
    decks = _by_id(SlideDeck, ranked := _ranked(figures, limit))
    talks = _by_id(Talk, {deck.talk_id for deck in decks.values()})
    rows = [TableRow((talks[decks[i].talk_id].title, _deck_label(decks[i]), *(f.get(i, 0) for f in figures)),
                     ("manage.talk_edit", {"talk_id": decks[i].talk_id, "_anchor": "slides"}))
            for i in ranked if i in decks]
    return StatsTable("decks", _l("Slide decks"), [_l("Talk"), _l("Deck"), _l("Downloads"),
                                                   _l("Pages read")], rows, numeric_from=2)


def slide_pages_table(scope: StatsScope, limit: int) -> StatsTable:
    page_views = queries.deck_page_sums(scope, limit)
    decks = _by_id(SlideDeck, {deck_id for deck_id, _, _ in page_views})
    talks = _by_id(Talk, {deck.talk_id for deck in decks.values()})
    rows = [TableRow((talks[decks[d].talk_id].title, _deck_label(decks[d]), page, views),
                     ("manage.talk_edit", {"talk_id": decks[d].talk_id, "_anchor": "slides"}))
            for d, page, views in page_views if d in decks]
    return StatsTable("slide_pages", _l("Most-read slide pages"),
                      [_l("Talk"), _l("Deck"), _l("Page"), _l("Views")], rows, numeric_from=2)


def queries_table(scope: StatsScope, limit: int) -> StatsTable:
    rows = [TableRow((item.query, item.count, item.zero_result_count))
            for item in queries.top_queries(scope, limit)]
    return StatsTable("queries", _l("Top searches"), [SEARCH_HEADING, _l("Searches"), _l("Found nothing")], rows)


def _rules_for(texts: list[str]) -> dict[str, SearchRule]:
    if not texts:
        return {}
    return {rule.query: rule for rule in db.session.scalars(select(SearchRule).where(SearchRule.query.in_(texts)))}


def zero_queries_table(scope: StatsScope, limit: int) -> StatsTable:
    items = queries.zero_result_queries(scope, limit)
    rules = _rules_for([item.query for item in items])
    rows = [TableRow((item.query, item.zero_result_count, item.count, _rule_text(rules.get(item.query))),
                     ("manage.search_rule_new", {"query": item.query})) for item in items]
    return StatsTable("zero_queries", _l("Searches that found nothing"),
                      [SEARCH_HEADING, _l("Found nothing"), _l("Searches"), _l("Rule")], rows, numeric_until=3)


def _rule_text(rule: SearchRule | None) -> str:
    if rule is None:
        return ""
    kind = _l("synonym") if rule.kind == SearchRuleKind.SYNONYM else _l("redirect")
    return f"{kind} → {rule.replacement}"


PERIOD_TABLES = {"totals": totals_table, "trend": trend_table}
SCOPE_TABLES = {
    "talks": talks_table, "events": events_table, "tags": tags_table, "speakers": speakers_table,
    "decks": decks_table, "slide_pages": slide_pages_table, "queries": queries_table,
    "zero_queries": zero_queries_table,
}
TABLE_KEYS = (*PERIOD_TABLES, *SCOPE_TABLES)


def build_table(key: str, scope: StatsScope, limit: int, points=None) -> StatsTable:
    """The table named `key` (one of TABLE_KEYS) for the scope, at most `limit` rows."""
    if key in PERIOD_TABLES:
        return PERIOD_TABLES[key](points if points is not None else queries.trend(scope))
    return SCOPE_TABLES[key](scope, limit)


def build_all_tables(scope: StatsScope, limit: int = TABLE_ROWS) -> dict[str, StatsTable]:
    points = queries.trend(scope)
    return {key: build_table(key, scope, limit, points) for key in TABLE_KEYS}


# Charts drawn from the tables (so a chart always matches the table behind it) ---------------

CHART_BARS = 10
TREND_SERIES = (str(Metric.TALK_VIEW), str(Metric.DECK_DOWNLOAD), str(Metric.SLIDE_PAGE_VIEW), SEARCHES)


def trend_chart(table: StatsTable) -> Markup:
    labels = figure_labels()
    columns = [list(labels).index(key) + 1 for key in TREND_SERIES]
    series = [charts.Series(str(table.columns[c]), [row.cells[c] for row in table.rows]) for c in columns]
    return charts.line_chart("chart-trend", str(_l("Over time")),
                             str(_l("Talk page views, slide downloads, slide pages read and searches "
                                    "for each period; the table below gives every figure.")),
                             [readable_period(row.cells[0]) for row in table.rows], series)


def readable_period(label: str) -> str:
    """A period's ISO label as the reader writes it: '2016-10-05' -> '5 oct. 2016',
    '2016-W40' -> 'week 40, 2016', '2016-10' -> 'oct. 2016' (French: '1er oct. 2016', 'sem. 40')."""
    if "-W" in label:
        year, week = label.split("-W")
        return _("week %(week)s, %(year)s", week=int(week), year=year)
    parts = label.split("-")
    if len(parts) == 3:
        return format_day(date.fromisoformat(label), "medium")
    if len(parts) == 2:
        return format_skeleton("MMMy", date(int(parts[0]), int(parts[1]), 1), locale=get_locale())
    return label


def bar_chart_of(table: StatsTable, column: int, description) -> Markup:
    items = [(str(row.cells[0]), row.cells[column]) for row in table.rows[:CHART_BARS]]
    return charts.bar_chart(f"chart-{table.key}", f"{table.title}: {table.columns[column]}", str(description), items)


def dashboard_charts(tables: dict[str, StatsTable]) -> dict[str, Markup]:
    return {
        "trend": trend_chart(tables["trend"]),
        "talks": bar_chart_of(tables["talks"], 2, _l("The most viewed talks of the period, most viewed first.")),
        "queries": bar_chart_of(tables["queries"], 1, _l("The most frequent searches of the period.")),
    }
