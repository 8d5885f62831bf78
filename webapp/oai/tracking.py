"""Which talks' OAI records a transaction may have changed, noted as the session flushes; their
records are recomputed once, just before the outermost transaction commits (operations.py).

- `before_flush` notes deleted and modified rows while the old links still exist (a deleted
  event's talks, a renamed tag's talks);
- `after_flush` notes new rows (their ids are known by then), modified ones again;
- bulk statements skip the flush events: `do_orm_execute` notes the rows they touch, read with the
  helpers of webapp/core/session_changes.py; a bulk insert of talks notes every id above the old max.
Over-noting is harmless: a record whose source did not change is not written.
"""
from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from webapp.core.session_changes import bulk_target, collect_inserted, collect_matched, listen_once, modified_rows
from webapp.models import Event, SlideDeck, Speaker, Tag, Talk, TalkSpeaker, talk_tags
from webapp.oai.operations import chunked, refresh_records

PENDING_KEY = "oai_touched"
talks_table, talk_speakers_table = Talk.__table__, TalkSpeaker.__table__
# The columns of linked rows that a talk's record shows (a change elsewhere touches no record).
SHOWN_COLUMNS = {Event: ("slug", "title", "status", "start_date", "place", "host_organisation"),
                 Speaker: ("name",), Tag: ("name",)}


class Touched:
    """Ids noted by one transaction: talks, and rows whose talks are looked up."""

    def __init__(self):
        self.talks, self.events, self.speakers, self.tags = set(), set(), set(), set()
        self.talks_above: int | None = None  # a bulk insert of talks: every id above this one

    def talk_ids(self, connection: Connection) -> set[int]:
        found = set(self.talks)
        for column, where, ids in ((talks_table.c.id, talks_table.c.event_id, self.events),
                                   (talk_speakers_table.c.talk_id, talk_speakers_table.c.speaker_id, self.speakers),
                                   (talk_tags.c.talk_id, talk_tags.c.tag_id, self.tags)):
            for chunk in chunked(ids):
                found.update(connection.scalars(select(column).where(where.in_(chunk))))
        if self.talks_above is not None:
            found.update(connection.scalars(select(talks_table.c.id).where(talks_table.c.id > self.talks_above)))
        return found

    def resolve(self, connection: Connection) -> None:
        """Turn linked rows into their talks now, while the links exist (before a delete)."""
        self.talks = self.talk_ids(connection)
        self.events, self.speakers, self.tags = set(), set(), set()


def pending(session: Session) -> Touched:
    return session.info.setdefault(PENDING_KEY, Touched())


def _shows_a_change(obj, is_deleted: bool) -> bool:
    names = SHOWN_COLUMNS.get(type(obj))
    if is_deleted or names is None:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note(touched: Touched, obj, is_deleted: bool = False) -> None:
    if isinstance(obj, Talk):
        touched.talks.add(obj.id)
    elif isinstance(obj, (TalkSpeaker, SlideDeck)):
        touched.talks.add(obj.talk_id)
    elif isinstance(obj, (Event, Speaker, Tag)) and _shows_a_change(obj, is_deleted):
        kind = {Event: touched.events, Speaker: touched.speakers, Tag: touched.tags}[type(obj)]
        kind.add(obj.id)


def _before_flush(session: Session, flush_context, instances) -> None:
    touched = pending(session)
    for obj in session.deleted:
        _note(touched, obj, is_deleted=True)
    for obj in modified_rows(session):
        _note(touched, obj)
    touched.resolve(session.connection())


def _after_flush(session: Session, flush_context) -> None:
    touched = pending(session)
    for obj in [*session.new, *modified_rows(session)]:
        _note(touched, obj)
    touched.talks.discard(None)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit refreshes everything once
    session.flush()
    touched = session.info.pop(PENDING_KEY, None)
    if touched is not None:
        refresh_records(session, touched.talk_ids(session.connection()))


def _forget_on_new_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)


# table name -> [(key column name, Touched attribute)]
_BULK_KEYS = {
    "talks": [("id", "talks")], "events": [("id", "events")], "speakers": [("id", "speakers")],
    "tags": [("id", "tags")], "talk_tags": [("talk_id", "talks")], "talk_speakers": [("talk_id", "talks")],
    "slide_decks": [("talk_id", "talks")],
}


def _do_orm_execute(state: ORMExecuteState):
    table = bulk_target(state, _BULK_KEYS)
    if table is None:
        return None
    connection, touched = state.session.connection(), pending(state.session)
    if state.is_insert and table.name == "talks":
        highest = connection.scalar(select(func.max(talks_table.c.id))) or 0
        touched.talks_above = highest if touched.talks_above is None else min(highest, touched.talks_above)
    elif state.is_insert:
        collect_inserted(touched, state, _BULK_KEYS[table.name])
    else:
        collect_matched(touched, connection, state, table, _BULK_KEYS[table.name])
        touched.resolve(connection)
    return None


def install_tracking(session_target) -> None:
    """Listen on a session class or sessionmaker; idempotent."""
    listen_once(session_target, [
        ("before_flush", _before_flush), ("after_flush", _after_flush), ("before_commit", _before_commit),
        ("after_transaction_create", _forget_on_new_transaction), ("do_orm_execute", _do_orm_execute)])
