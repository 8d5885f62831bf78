"""Recompute the summary data of the rows a transaction touched, from the database, before it commits.

Every number is counted again from the rows it sums up (never +1/-1): the links' listing columns
first, with the visibility rule of core/visibility.py, then the counts of tags and speakers from
those links, and the others from the talks and events.

On PostgreSQL, two transactions may commit side by side: each one first locks the rows it
recomputes (talks, then events, tags, speakers, series, then the archive counts, each in id order),
then reads. A second writer waits for the first to commit, and its reads, made after the wait, see
the first one's rows (READ COMMITTED takes a new snapshot for each statement), so neither loses the
other's change. SQLite has one writer at a time, and ignores FOR UPDATE.
"""
from collections import defaultdict

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from webapp.catalogue.summary.facets import refresh_facets
from webapp.catalogue.summary.keys import Touched, chunked, index_letter
from webapp.core.visibility import public_talk_condition
from webapp.models import (
    REPORT_SECTIONS,
    UNDATED,
    Event,
    ReadingListEntry,
    Series,
    Speaker,
    Status,
    Tag,
    TagEvent,
    Talk,
    TalkSpeaker,
    talk_tags,
)
from webapp.slides.queries import has_ready_slides

talks_table, events_table, speakers_table = Talk.__table__, Event.__table__, Speaker.__table__
tags_table, series_table, talk_speakers_table = Tag.__table__, Series.__table__, TalkSpeaker.__table__


def refresh(connection: Connection, touched: Touched) -> None:
    touched.discard_none()
    talk_ids = touched.talks | _column_values(connection, talks_table.c.id, talks_table.c.event_id,
                                              touched.changed_events)
    _lock(connection, talks_table, talk_ids)
    _add_current_links(connection, touched, talk_ids)
    _lock(connection, events_table, touched.events)  # a talk is public while its event is: read after
    refresh_listings(connection, talk_ids)  # before the counts of tags and speakers, which read the links
    refresh_events(connection, touched)
    refresh_tags(connection, touched)
    refresh_speakers(connection, touched)
    refresh_series(connection, touched.series)
    refresh_facets(connection, touched)


def _column_values(connection: Connection, column, where_column, ids: set) -> set:
    found = set()
    for chunk in chunked(ids):
        found.update(connection.scalars(select(column).where(where_column.in_(chunk))))
    return found


def _lock(connection: Connection, table, ids: set, *columns) -> list:
    """Lock the rows, in id order, and return their `columns`. FOR NO KEY UPDATE: two refreshes of
    a row wait for each other, but not for the key-share locks that inserting a link row referring
    to it takes (FOR UPDATE would, and two writers tagging the same tag would deadlock)."""
    rows = []
    for chunk in chunked(ids):
        query = (select(table.c.id, *columns).where(table.c.id.in_(chunk))
                 .order_by(table.c.id).with_for_update(key_share=True))
        rows.extend(connection.execute(query))
    return rows


def _add_current_links(connection: Connection, touched: Touched, talk_ids: set) -> None:
    """The events, series, tags and speakers the touched talks have now (those they had before the
    change were noted by tracking.py)."""
    for chunk in chunked(talk_ids):
        for event_id, series_id in connection.execute(
                select(talks_table.c.event_id, talks_table.c.series_id).where(talks_table.c.id.in_(chunk))):
            touched.events.add(event_id)
            touched.series.add(series_id)
    touched.tags |= _column_values(connection, talk_tags.c.tag_id, talk_tags.c.talk_id, talk_ids)
    touched.speakers |= _column_values(connection, talk_speakers_table.c.speaker_id,
                                       talk_speakers_table.c.talk_id, talk_ids)
    touched.discard_none()


def _public_counts(connection: Connection, key_column, ids: set) -> dict:
    """key -> number of public talks, for the given values of a column of talks."""
    counts = {}
    for chunk in chunked(ids):
        query = (select(key_column, func.count()).where(key_column.in_(chunk), public_talk_condition())
                 .group_by(key_column))
        counts.update(connection.execute(query).all())
    return counts


def _public_links(connection: Connection, link, owner_column, ids: set) -> dict:
    """owner -> number of public talks, read from the links' listing index (refresh_listings has
    brought the touched talks' links up to date; the others were, by the refresh of their change)."""
    counts = {}
    for chunk in chunked(ids):
        query = (select(owner_column, func.count()).select_from(link)
                 .where(owner_column.in_(chunk), link.c.is_public.is_(True)).group_by(owner_column))
        counts.update(connection.execute(query).all())
    return counts


def _update_rows(connection: Connection, table, values: list[dict]) -> None:
    """UPDATE table SET <values> WHERE id = :row_id, for each dict; updated_at is left as it was."""
    if not values:
        return
    settings = {name: bindparam(f"new_{name}") for name in values[0] if name != "row_id"}
    if "updated_at" in table.c:
        settings["updated_at"] = table.c.updated_at  # summary data is not an edit of the row
    parameters = [{"row_id": row.pop("row_id"), **{f"new_{name}": value for name, value in row.items()}}
                  for row in values]
    connection.execute(update(table).where(table.c.id == bindparam("row_id")).values(settings), parameters)


# --- counters -----------------------------------------------------------------------------------

def _published_talks_by_event(connection: Connection, event_ids: set) -> dict[int, int]:
    """event id -> its published talks: one table, one index, whatever the planner knows (right
    after a bulk import, PostgreSQL has no statistics on the new rows, and a join can go astray)."""
    counts = {}
    for chunk in chunked(event_ids):
        query = (select(Talk.event_id, func.count()).where(Talk.event_id.in_(chunk), Talk.status == Status.PUBLISHED)
                 .group_by(Talk.event_id))
        counts.update(connection.execute(query).all())
    return counts


def refresh_events(connection: Connection, touched: Touched) -> None:
    """An event's public talks are its published talks while it is published (core/visibility.py)."""
    rows = _lock(connection, events_table, touched.events, events_table.c.status, events_table.c.start_date,
                 events_table.c.place, events_table.c.host_organisation, events_table.c.public_talk_count,
                 events_table.c.listed_on)
    counts = _published_talks_by_event(connection, touched.events)
    changes = []
    for event_id, status, start_date, place, organisation, old_count, old_listed_on in rows:
        touched.add_event_facets(start_date, place, organisation)
        count = counts.get(event_id, 0) if status == Status.PUBLISHED else 0
        listed_on = start_date or UNDATED
        if (count, listed_on) != (old_count, old_listed_on):
            changes.append({"row_id": event_id, "public_talk_count": count, "listed_on": listed_on})
    _update_rows(connection, events_table, changes)


def refresh_tags(connection: Connection, touched: Touched) -> None:
    """Each tag's public talks, and its events (TagEvent); a tag that gains its first public talk or
    loses its last one changes the number of public tags."""
    rows = _lock(connection, tags_table, touched.tags, tags_table.c.public_talk_count,
                 tags_table.c.public_event_count)
    by_event = _tag_events(connection, {tag_id for tag_id, _, _ in rows})
    changes = []
    for tag_id, old_count, old_event_count in rows:
        events = by_event.get(tag_id, {})
        count = sum(talks for _, talks in events.values())
        if (count, len(events)) != (old_count, old_event_count):
            changes.append({"row_id": tag_id, "public_talk_count": count, "public_event_count": len(events)})
            touched.tags_total |= (count > 0) != (old_count > 0)
    _update_rows(connection, tags_table, changes)
    _replace_tag_events(connection, by_event, {tag_id for tag_id, _, _ in rows})


def _tag_events(connection: Connection, tag_ids: set) -> dict[int, dict[int, tuple]]:
    """tag id -> event id -> (the event's listing day, its public talks under the tag)."""
    found = defaultdict(dict)
    link = talk_tags.join(Talk, Talk.id == talk_tags.c.talk_id).join(Event, Event.id == Talk.event_id)
    for chunk in chunked(tag_ids):
        query = (select(talk_tags.c.tag_id, Talk.event_id, Event.start_date, func.count()).select_from(link)
                 .where(talk_tags.c.tag_id.in_(chunk), talk_tags.c.is_public.is_(True))
                 .group_by(talk_tags.c.tag_id, Talk.event_id, Event.start_date))
        for tag_id, event_id, start_date, count in connection.execute(query):
            found[tag_id][event_id] = (start_date or UNDATED, count)
    return found


def _replace_tag_events(connection: Connection, by_event: dict, tag_ids: set) -> None:
    table = TagEvent.__table__
    for chunk in chunked(tag_ids):
        connection.execute(delete(table).where(table.c.tag_id.in_(chunk)))
    rows = [{"tag_id": tag_id, "event_id": event_id, "listed_on": listed_on, "talk_count": count}
            for tag_id, events in by_event.items() for event_id, (listed_on, count) in events.items()]
    if rows:
        connection.execute(insert(table), rows)


def refresh_speakers(connection: Connection, touched: Touched) -> None:
    """Each speaker's public talks and index letter; the letters whose number of public speakers
    may have changed are recounted (refresh_facets)."""
    rows = _lock(connection, speakers_table, touched.speakers, speakers_table.c.sort_key,
                 speakers_table.c.index_letter, speakers_table.c.public_talk_count)
    counts = _public_links(connection, talk_speakers_table, talk_speakers_table.c.speaker_id, touched.speakers)
    changes = []
    for speaker_id, sort_key, old_letter, old_count in rows:
        count, letter = counts.get(speaker_id, 0), index_letter(sort_key)
        if (count, letter) != (old_count, old_letter):
            changes.append({"row_id": speaker_id, "public_talk_count": count, "index_letter": letter})
        if letter != old_letter or (count > 0) != (old_count > 0):
            touched.letters |= {letter, old_letter}
    _update_rows(connection, speakers_table, changes)


def refresh_series(connection: Connection, series_ids: set) -> None:
    rows = _lock(connection, series_table, series_ids, series_table.c.public_talk_count)
    counts = _public_counts(connection, Talk.series_id, series_ids)
    _update_rows(connection, series_table, [
        {"row_id": series_id, "public_talk_count": counts.get(series_id, 0)}
        for series_id, old_count in rows if counts.get(series_id, 0) != old_count])


# --- listings -------------------------------------------------------------------------------------

def _has_written_report():
    return or_(*(and_(getattr(Talk, name).is_not(None), getattr(Talk, name) != "") for name in REPORT_SECTIONS))


def refresh_listings(connection: Connection, talk_ids: set) -> None:
    """Copy each talk's visibility, day and programme position onto its tag and speaker links, and
    keep its reading-list entry (public talks with a written report) in step. The values are read
    by primary key, then written with one executemany per table: correlated subqueries, however
    portable, go astray on PostgreSQL right after a bulk import, when it has no statistics yet."""
    columns = (Talk.id, public_talk_condition().label("is_public"), Talk.given_on, Event.start_date,
               Talk.position, _has_written_report().label("has_report"), has_ready_slides().label("has_slides"))
    for chunk in chunked(talk_ids):
        rows = connection.execute(select(*columns).join(Talk.event).where(Talk.id.in_(chunk))).all()
        listings = [{"talk": talk_id, "new_is_public": bool(is_public),
                     "new_listed_on": given_on or start or UNDATED, "new_talk_position": position}
                    for talk_id, is_public, given_on, start, position, _, _ in rows]
        if listings:
            for link in (talk_tags, talk_speakers_table):
                connection.execute(update(link).where(link.c.talk_id == bindparam("talk")).values(
                    is_public=bindparam("new_is_public"), listed_on=bindparam("new_listed_on"),
                    talk_position=bindparam("new_talk_position")), listings)
        entries = [{"talk_id": item["talk"], "has_slides": bool(has_slides), "listed_on": item["new_listed_on"]}
                   for item, (*_, has_report, has_slides) in zip(listings, rows)
                   if item["new_is_public"] and has_report]
        _replace_reading_entries(connection, chunk, entries)


def _replace_reading_entries(connection: Connection, talk_ids: list, entries: list[dict]) -> None:
    reading = ReadingListEntry.__table__
    connection.execute(delete(reading).where(reading.c.talk_id.in_(talk_ids)))
    if entries:
        connection.execute(insert(reading), entries)
