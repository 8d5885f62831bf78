"""What a transaction touches, noted as the session flushes; refreshed once, just before it commits.

- `before_flush` notes the deleted and modified rows, and what they were linked to while the old
  rows still exist (a talk's former tags, a deleted event's talks and its year, place, host);
- `after_flush` notes the new rows (their ids are known by then);
- bulk statements (`session.execute(update(Talk)...)`, `insert(talk_tags)`...) skip the flush
  events, so a `do_orm_execute` listener notes the rows they touch, as the search outbox does;
- `before_commit` (of the outermost transaction) flushes, then refresh.py recomputes the rows the
  transaction touched. Over-noting is harmless: a refresh recomputes from the database.
"""
from sqlalchemy import Connection, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from webapp.catalogue.summary.keys import Touched, chunked
from webapp.catalogue.summary.refresh import refresh
from webapp.core.session_changes import (
    bulk_target,
    collect_inserted,
    collect_matched,
    insert_and_find_new_ids,
    listen_once,
    modified_rows,
)
from webapp.models import Event, SlideDeck, Speaker, Tag, Talk, TalkSpeaker, talk_tags

PENDING_KEY = "summary_touched"
talks_table, events_table, speakers_table = Talk.__table__, Event.__table__, Speaker.__table__
talk_speakers_table = TalkSpeaker.__table__
EVENT_COLUMNS_OF_TALKS = ("status", "start_date")  # a change of these changes every talk's listing


def pending(session: Session) -> Touched:
    return session.info.setdefault(PENDING_KEY, Touched())


def _values(connection: Connection, column, where_column, ids: set) -> set:
    found = set()
    for chunk in chunked(ids):
        found.update(connection.scalars(select(column).where(where_column.in_(chunk))))
    return found


# --- what rows were linked to, before a change ------------------------------------------------

def remember_talks(connection: Connection, touched: Touched, talk_ids: set) -> None:
    """The event, series, tags and speakers the talks have in the database now."""
    for chunk in chunked(talk_ids):
        rows = connection.execute(select(talks_table.c.event_id, talks_table.c.series_id)
                                  .where(talks_table.c.id.in_(chunk)))
        for event_id, series_id in rows:
            touched.events.add(event_id)
            touched.series.add(series_id)
    touched.tags |= _values(connection, talk_tags.c.tag_id, talk_tags.c.talk_id, talk_ids)
    touched.speakers |= _values(connection, talk_speakers_table.c.speaker_id,
                                talk_speakers_table.c.talk_id, talk_ids)


def remember_events(connection: Connection, touched: Touched, event_ids: set, deleted: bool) -> None:
    """The partitions the events are counted in now; for deleted events, their talks' links too
    (the database's cascade removes them)."""
    columns = (events_table.c.start_date, events_table.c.place, events_table.c.host_organisation)
    for chunk in chunked(event_ids):
        for start_date, place, organisation in connection.execute(
                select(*columns).where(events_table.c.id.in_(chunk))):
            touched.add_event_facets(start_date, place, organisation)
    if deleted:
        remember_talks(connection, touched, _values(connection, talks_table.c.id,
                                                    talks_table.c.event_id, event_ids))


def remember_speakers(connection: Connection, touched: Touched, speaker_ids: set) -> None:
    """The index letters deleted speakers are counted under."""
    touched.letters |= _values(connection, speakers_table.c.index_letter, speakers_table.c.id, speaker_ids)


# --- the ORM unit of work ---------------------------------------------------------------------

def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note(touched: Touched, obj, is_deleted: bool = False) -> None:
    if isinstance(obj, Talk):
        touched.talks.add(obj.id)
    elif isinstance(obj, Event):
        touched.events.add(obj.id)
        if is_deleted or _changed(obj, EVENT_COLUMNS_OF_TALKS):
            touched.changed_events.add(obj.id)
    elif isinstance(obj, Speaker):
        touched.speakers.add(obj.id)
    elif isinstance(obj, Tag):
        touched.tags.add(obj.id)
        touched.tags_total |= is_deleted
    elif isinstance(obj, TalkSpeaker):
        touched.talks.add(obj.talk_id)
        touched.speakers.add(obj.speaker_id)
    elif isinstance(obj, SlideDeck):  # the reading list puts talks with slides first
        touched.talks.add(obj.talk_id)


def _remember_before_flush(connection: Connection, touched: Touched, deleted: list, modified: list) -> None:
    old = Touched()
    for obj in deleted:
        _note(old, obj, is_deleted=True)
    for obj in modified:
        _note(old, obj)
    old.discard_none()
    remember_talks(connection, touched, old.talks)
    remember_events(connection, touched, {o.id for o in deleted if isinstance(o, Event)}, deleted=True)
    remember_events(connection, touched, {o.id for o in modified if isinstance(o, Event)}, deleted=False)
    remember_speakers(connection, touched, {o.id for o in deleted if isinstance(o, Speaker)})
    touched.update(old)


def _before_flush(session: Session, flush_context, instances) -> None:
    deleted, modified = list(session.deleted), modified_rows(session)
    if deleted or modified:
        _remember_before_flush(session.connection(), pending(session), deleted, modified)


def _after_flush(session: Session, flush_context) -> None:
    touched = pending(session)
    for obj in [*session.new, *modified_rows(session)]:
        _note(touched, obj)
    touched.discard_none()


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit refreshes everything once
    session.flush()
    touched = session.info.pop(PENDING_KEY, None)
    if touched:
        refresh(session.connection(), touched)


def _forget_on_new_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)


# --- bulk statements ----------------------------------------------------------------------------

# table name -> [(key column name, Touched attribute)]
_BULK_KEYS = {
    "talks": [("id", "talks")],
    "events": [("id", "events")],
    "speakers": [("id", "speakers")],
    "tags": [("id", "tags")],
    "talk_tags": [("talk_id", "talks"), ("tag_id", "tags")],
    "talk_speakers": [("talk_id", "talks"), ("speaker_id", "speakers")],
    "slide_decks": [("talk_id", "talks")],
}
_NEW_ROWS_FOUND_AFTER_INSERT = ("talks", "events", "speakers")


def _touched_by_where(connection: Connection, state: ORMExecuteState, table) -> Touched:
    touched = Touched()
    collect_matched(touched, connection, state, table, _BULK_KEYS[table.name])
    if table.name == "events":
        touched.changed_events |= touched.events
    touched.tags_total |= state.is_delete and table.name == "tags"
    return touched


def _insert_and_note_new_rows(state: ORMExecuteState, connection: Connection, table, touched: Touched):
    """Rows inserted in bulk get their ids from the database: note them once they are known."""
    result, new_ids = insert_and_find_new_ids(state, connection, table)
    getattr(touched, _BULK_KEYS[table.name][0][1]).update(new_ids)
    return result


def _do_orm_execute(state: ORMExecuteState):
    table = bulk_target(state, _BULK_KEYS)
    if table is None:
        return None
    connection, touched = state.session.connection(), pending(state.session)
    if state.is_insert and table.name in _NEW_ROWS_FOUND_AFTER_INSERT:
        return _insert_and_note_new_rows(state, connection, table, touched)
    if state.is_insert:
        collect_inserted(touched, state, _BULK_KEYS[table.name])
        return None
    before = _touched_by_where(connection, state, table)
    _remember_before_flush_of_bulk(connection, touched, before, state.is_delete)
    return None


def _remember_before_flush_of_bulk(connection: Connection, touched: Touched, before: Touched,
                                   is_delete: bool) -> None:
    before.discard_none()
    remember_talks(connection, touched, before.talks)
    remember_events(connection, touched, before.events, deleted=is_delete)
    if is_delete:
        remember_speakers(connection, touched, before.speakers)
    touched.update(before)


def install_tracking(session_target) -> None:
    """Listen on a session class or sessionmaker; idempotent."""
    listen_once(session_target, [
        ("before_flush", _before_flush), ("after_flush", _after_flush), ("before_commit", _before_commit),
        ("after_transaction_create", _forget_on_new_transaction), ("do_orm_execute", _do_orm_execute)])
