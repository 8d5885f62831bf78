"""The search outbox: every change to a row a search document draws on queues that document,
in the same transaction as the change (HOUSE.md rules 6-7).

- ORM changes: `before_flush` resolves deleted and modified rows while the old rows still exist
  (a deleted event's talks, a talk's former speakers), `after_flush` resolves new and modified rows
  (their ids are known by then), and the queue rows are inserted through the flush's own connection.
  A rollback removes them with the change; a commit makes them as durable as the change.
- Bulk statements (`session.execute(delete(Talk)...)`, `update(Speaker)...`, `insert(talk_tags)`)
  skip the flush events, so a `do_orm_execute` listener selects the rows they touch and queues them.
- Raw SQL (`text()`, or a bare Connection) is invisible here: call queue_documents() yourself.

The queue is a log that every host's index follows by id (its cursor: the last id it applied),
so ids must become visible in increasing order: a reader that has seen id N must never see a
smaller id committed later. SQLite serialises writing transactions, so its id order is commit
order. On PostgreSQL an id is taken when its row is inserted, not when it commits: a long
transaction holding id 5 may commit after a short one holding id 6, which an index has applied
already. So each transaction's rows are renumbered when it commits (before_commit): it takes
`pg_advisory_xact_lock(LOG_LOCK_KEY)`, flushes, then gives its rows new ids from the sequence
(`UPDATE ... SET id = nextval(...)`); the lock is held until the commit is visible, so the next
transaction to renumber takes larger ids only after it. Every committed id was thus taken under
the lock, in commit order: the log is gapless for a cursor. The lock is held only for the renumbering
and the commit (not for the whole transaction, which could be a long import), and rows are inserted
at flush as before (the transaction sees its own entries; a rollback drops them).
Rows inserted under the lock (a flush after the renumbering) take their ids under it and stay.
"""
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, insert, select, text, update
from sqlalchemy.orm import ORMExecuteState, Session

from webapp.core.session_changes import (
    bulk_target,
    collect_inserted,
    collect_matched,
    insert_and_find_new_ids,
    listen_once,
    modified_rows,
)
from webapp.models import (
    Event,
    SearchQueueEntry,
    Series,
    SlideDeck,
    Speaker,
    SpeakerAlias,
    Tag,
    Talk,
    TalkSpeaker,
    Transcript,
    talk_tags,
)
from webapp.models._base import utcnow
from webapp.search.documents import SPEAKER, TALK, doc_id

PENDING_KEY = "search_outbox_pending"
INSERTED_KEY = "search_log_inserted_ids"  # ids this transaction inserted, to renumber at its commit
LOCKED_KEY = "search_log_locked"  # the transaction holds the log lock: new ids are final
LOG_LOCK_KEY = 7_365_202_611  # pg_advisory_xact_lock key of the search log's commits
RENUMBER_BATCH = 1000
queue_table = SearchQueueEntry.__table__
talks_table, speakers_table = Talk.__table__, Speaker.__table__
talk_speakers_table = TalkSpeaker.__table__


@dataclass
class Affected:
    """Rows that changed, by kind; resolved into the search documents that draw on them."""

    talks: set = field(default_factory=set)         # a talk's document and its speakers' documents
    speakers: set = field(default_factory=set)      # a speaker's document and their talks
    speaker_docs: set = field(default_factory=set)  # only the speaker's document
    events: set = field(default_factory=set)
    tags: set = field(default_factory=set)
    series: set = field(default_factory=set)
    deleted_docs: set = field(default_factory=set)

    def add_row(self, obj, is_deleted: bool = False) -> None:
        collect = _COLLECTORS.get(type(obj))
        if collect is not None:
            collect(self, obj)
            if is_deleted and isinstance(obj, (Talk, Speaker)):
                self.deleted_docs.add(doc_id(TALK if isinstance(obj, Talk) else SPEAKER, obj.id))


_COLLECTORS = {
    Talk: lambda a, o: a.talks.add(o.id),
    Event: lambda a, o: a.events.add(o.id),
    Speaker: lambda a, o: a.speakers.add(o.id),
    SpeakerAlias: lambda a, o: a.speakers.add(o.speaker_id),
    TalkSpeaker: lambda a, o: (a.talks.add(o.talk_id), a.speaker_docs.add(o.speaker_id)),
    Tag: lambda a, o: a.tags.add(o.id),
    Series: lambda a, o: a.series.add(o.id),
    SlideDeck: lambda a, o: a.talks.add(o.talk_id),  # pages are saved with their deck's status
    Transcript: lambda a, o: a.talks.add(o.talk_id),
}


def _ids(connection: Connection, column, where_column, values: set) -> set:
    values = {v for v in values if v is not None}
    if not values:
        return set()
    return set(connection.scalars(select(column).where(where_column.in_(values))))


def resolve_documents(connection: Connection, affected: Affected) -> dict[str, str]:
    """doc id -> op ("upsert" or "delete") for every document drawing on the affected rows."""
    talks = {t for t in affected.talks if t is not None}
    talks |= _ids(connection, talks_table.c.id, talks_table.c.event_id, affected.events)
    talks |= _ids(connection, talks_table.c.id, talks_table.c.series_id, affected.series)
    talks |= _ids(connection, talk_tags.c.talk_id, talk_tags.c.tag_id, affected.tags)
    speakers = affected.speakers | affected.speaker_docs
    speakers |= _ids(connection, talk_speakers_table.c.speaker_id,
                     talk_speakers_table.c.talk_id, talks)
    talks |= _ids(connection, talk_speakers_table.c.talk_id,
                  talk_speakers_table.c.speaker_id, affected.speakers)
    docs = {doc_id(TALK, t): "upsert" for t in talks}
    docs.update({doc_id(SPEAKER, s): "upsert" for s in speakers if s is not None})
    docs.update({d: "delete" for d in affected.deleted_docs})
    return docs


def insert_queue_rows(session: Session, docs: dict[str, str]) -> None:
    """Insert the log rows through the session's connection; on PostgreSQL, remember their ids
    for the renumbering at commit (module docstring)."""
    if not docs:
        return
    connection, now = session.connection(), utcnow()
    rows = [{"doc_id": d, "op": op, "created_at": now} for d, op in sorted(docs.items())]
    if not _renumbers_at_commit(connection) or session.info.get(LOCKED_KEY):
        connection.execute(insert(queue_table), rows)
        return
    ids = connection.execute(insert(queue_table).returning(queue_table.c.id), rows).scalars().all()
    session.info.setdefault(INSERTED_KEY, []).extend(ids)


def queue_documents(session: Session, doc_ids, op: str = "upsert") -> None:
    """Queue documents explicitly (after raw SQL the outbox could not see). Flushes, no commit."""
    session.flush()
    insert_queue_rows(session, {d: op for d in doc_ids})


def _renumbers_at_commit(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _renumber_at_commit(session: Session) -> None:
    """before_commit of the outermost transaction: take the log lock, renumber this transaction's
    rows from the sequence (module docstring). Nothing to do on SQLite, nor for a savepoint."""
    if session.in_nested_transaction() or session.get_bind().dialect.name != "postgresql":
        return
    session.flush()  # the commit's own flush, made now so that its rows are renumbered too
    ids = session.info.pop(INSERTED_KEY, None)
    if not ids:
        return
    connection = session.connection()
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOG_LOCK_KEY})
    session.info[LOCKED_KEY] = True  # rows a later flush inserts take their ids under the lock
    next_id = func.nextval(func.pg_get_serial_sequence(queue_table.name, "id"))
    for start in range(0, len(ids), RENUMBER_BATCH):
        batch = ids[start:start + RENUMBER_BATCH]
        connection.execute(update(queue_table).where(queue_table.c.id.in_(batch)).values(id=next_id))


def _forget_transaction(session: Session, transaction) -> None:
    """The outermost transaction ended (committed or rolled back): its ids and lock are gone."""
    if transaction.parent is None:
        session.info.pop(INSERTED_KEY, None)
        session.info.pop(LOCKED_KEY, None)


# --- ORM unit of work -------------------------------------------------------------------------

def _before_flush(session: Session, flush_context, instances) -> None:
    affected = Affected()
    for obj in session.deleted:
        affected.add_row(obj, is_deleted=True)
    for obj in modified_rows(session):
        affected.add_row(obj)
    docs = resolve_documents(session.connection(), affected)
    session.info.setdefault(PENDING_KEY, {}).update(docs)


def _after_flush(session: Session, flush_context) -> None:
    affected = Affected()
    for obj in [*session.new, *modified_rows(session)]:
        affected.add_row(obj)
    docs = resolve_documents(session.connection(), affected)
    docs.update(session.info.pop(PENDING_KEY, {}))
    insert_queue_rows(session, docs)


def _forget_pending(session: Session, previous_transaction) -> None:
    session.info.pop(PENDING_KEY, None)


# --- bulk statements --------------------------------------------------------------------------

# table name -> [(key column name, Affected attribute)]
_BULK_KEYS = {
    "talks": [("id", "talks")],
    "events": [("id", "events")],
    "speakers": [("id", "speakers")],
    "speaker_aliases": [("speaker_id", "speakers")],
    "talk_speakers": [("talk_id", "talks"), ("speaker_id", "speaker_docs")],
    "tags": [("id", "tags")],
    "talk_tags": [("talk_id", "talks")],
    "series": [("id", "series")],
    "slide_decks": [("talk_id", "talks")],
    "transcripts": [("talk_id", "talks")],
}
_NEW_ROWS_FOUND_AFTER_INSERT = {"talks": "talks", "speakers": "speakers"}


def _affected_by_where(connection: Connection, state: ORMExecuteState, table) -> Affected:
    affected = Affected()
    collect_matched(affected, connection, state, table, _BULK_KEYS[table.name])
    if state.is_delete and table.name in ("talks", "speakers"):
        kind = TALK if table.name == "talks" else SPEAKER
        affected.deleted_docs |= {doc_id(kind, i) for i in getattr(affected, table.name)}
    return affected


def _affected_by_insert(state: ORMExecuteState, table) -> Affected:
    affected = Affected()
    collect_inserted(affected, state, _BULK_KEYS[table.name])
    return affected


def _do_orm_execute(state: ORMExecuteState):
    table = bulk_target(state, _BULK_KEYS)
    if table is None:
        return None
    connection = state.session.connection()
    if state.is_insert and table.name in _NEW_ROWS_FOUND_AFTER_INSERT:
        return _insert_and_queue_new_rows(state, connection, table)
    if state.is_insert:
        affected = _affected_by_insert(state, table)
    else:
        affected = _affected_by_where(connection, state, table)
    insert_queue_rows(state.session, resolve_documents(connection, affected))
    return None


def _insert_and_queue_new_rows(state: ORMExecuteState, connection: Connection, table):
    """Rows inserted in bulk get their ids from the database: queue them once they are known."""
    result, new_ids = insert_and_find_new_ids(state, connection, table)
    affected = Affected()
    getattr(affected, _NEW_ROWS_FOUND_AFTER_INSERT[table.name]).update(new_ids)
    insert_queue_rows(state.session, resolve_documents(connection, affected))
    return result


def install_outbox(session_target) -> None:
    """Listen on a session class or sessionmaker; idempotent."""
    listen_once(session_target, [("before_flush", _before_flush), ("after_flush", _after_flush),
                                 ("after_soft_rollback", _forget_pending), ("do_orm_execute", _do_orm_execute),
                                 ("before_commit", _renumber_at_commit),
                                 ("after_transaction_end", _forget_transaction)])
