"""Recount the ArchiveCount partitions a transaction touched (refresh.py calls it last, once the
events', tags' and speakers' own counts are current).

Each partition row is created when missing, then locked, then counted again from the events,
speakers or tags it sums up. Rows that fall to zero are kept (readers skip them): a row deleted
under a writer waiting for its lock would lose that writer's count.
"""
from datetime import date

from sqlalchemy import Connection, and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from webapp.catalogue.summary.keys import UNDATED_YEAR, Touched, chunked
from webapp.models import ArchiveCount, Event, Facet, Speaker, Status, Tag

PUBLIC_TAGS_VALUE = ""
counts_table = ArchiveCount.__table__


def refresh_facets(connection: Connection, touched: Touched) -> None:
    if touched.years:
        _refresh_years(connection, touched.years)
    for facet, column, values in ((Facet.TALKS_BY_PLACE, Event.place, touched.places),
                                  (Facet.TALKS_BY_ORGANISATION, Event.host_organisation, touched.organisations)):
        if values:
            _lock_partitions(connection, facet, values)
            _store(connection, facet, _talks_by_event_column(connection, column, values), values)
    if touched.letters:
        _refresh_letters(connection, touched.letters)
    if touched.tags_total:
        _lock_partitions(connection, Facet.PUBLIC_TAGS, {PUBLIC_TAGS_VALUE})
        public = connection.scalar(select(func.count()).select_from(Tag).where(Tag.public_talk_count > 0))
        _store(connection, Facet.PUBLIC_TAGS, {PUBLIC_TAGS_VALUE: public}, {PUBLIC_TAGS_VALUE})


def _insert_ignoring_duplicates(connection: Connection):
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(counts_table).on_conflict_do_nothing()


def _lock_partitions(connection: Connection, facet: str, values: set) -> None:
    """Make sure the rows exist, then lock them in order (a writer counting the same partition
    waits here until this transaction commits)."""
    connection.execute(_insert_ignoring_duplicates(connection),
                       [{"facet": facet, "value": value, "count": 0} for value in sorted(values)])
    for chunk in chunked(values):
        connection.execute(select(counts_table.c.value)
                           .where(counts_table.c.facet == facet, counts_table.c.value.in_(chunk))
                           .order_by(counts_table.c.value).with_for_update(key_share=True))


def _store(connection: Connection, facet: str, counts: dict[str, int], values: set) -> None:
    statement = (update(counts_table).where(counts_table.c.facet == facet,
                                            counts_table.c.value == bindparam("partition"))
                 .values(count=bindparam("new_count")))
    connection.execute(statement, [{"partition": value, "new_count": counts.get(value, 0)}
                                   for value in sorted(values)])


def _year_condition(value: str):
    """On Event.listed_on (refreshed just before), which the events' listing index leads with."""
    if value == UNDATED_YEAR:
        return Event.start_date.is_(None)
    year = int(value)
    return and_(Event.listed_on.between(date(year, 1, 1), date(year, 12, 31)), Event.start_date.is_not(None))


def _refresh_years(connection: Connection, years: set) -> None:
    for facet in (Facet.EVENTS_BY_YEAR, Facet.TALKS_BY_YEAR):
        _lock_partitions(connection, facet, years)
    events, talks = {}, {}
    for value in years:
        query = (select(func.count(Event.id), func.coalesce(func.sum(Event.public_talk_count), 0))
                 .where(Event.status == Status.PUBLISHED, _year_condition(value)))
        events[value], talks[value] = connection.execute(query).one()
    _store(connection, Facet.EVENTS_BY_YEAR, events, years)
    _store(connection, Facet.TALKS_BY_YEAR, talks, years)


def _talks_by_event_column(connection: Connection, column, values: set) -> dict[str, int]:
    totals = {}
    for chunk in chunked(values):
        query = (select(column, func.sum(Event.public_talk_count))
                 .where(Event.status == Status.PUBLISHED, column.in_(chunk)).group_by(column))
        totals.update((value, int(total or 0)) for value, total in connection.execute(query))
    return totals


def _refresh_letters(connection: Connection, letters: set) -> None:
    _lock_partitions(connection, Facet.SPEAKERS_BY_LETTER, letters)
    query = (select(Speaker.index_letter, func.count())
             .where(Speaker.index_letter.in_(sorted(letters)), Speaker.public_talk_count > 0)
             .group_by(Speaker.index_letter))
    _store(connection, Facet.SPEAKERS_BY_LETTER, dict(connection.execute(query).all()), letters)
