"""Which talks a transaction may have changed, for the features that keep something per talk and
recompute it just before the outermost commit: OAI records (webapp/oai/tracking.py) and the related
talks' queue (webapp/related/tracking.py).

- `before_flush` notes deleted and modified rows while the old links still exist (a deleted
  event's talks, a renamed tag's talks);
- `after_flush` notes new rows (their ids are known by then), modified ones again;
- bulk statements skip the flush events: `do_orm_execute` notes the rows they touch, read with the
  helpers of session_changes.py; a bulk insert of talks notes every id above the old max.
Over-noting is harmless: each follower recomputes a talk whose source did not change to the same thing.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from webapp.core.session_changes import (
    Keys,
    bulk_target,
    chunked,
    collect_inserted,
    collect_matched,
    listen_once,
    modified_rows,
)
from webapp.models import Talk, TalkSpeaker, talk_tags

talks_table, talk_speakers_table = Talk.__table__, TalkSpeaker.__table__

# table name -> [(key column name, TouchedTalks attribute)]
BULK_KEYS: dict[str, Keys] = {
    "talks": [("id", "talks")], "events": [("id", "events")], "speakers": [("id", "speakers")],
    "tags": [("id", "tags")], "talk_tags": [("talk_id", "talks")], "talk_speakers": [("talk_id", "talks")],
}


class TouchedTalks:
    """Ids noted by one transaction: talks, and rows whose talks are looked up."""

    def __init__(self):
        self.talks, self.events, self.speakers, self.tags = set(), set(), set(), set()
        self.talks_above: int | None = None  # a bulk insert of talks: every id above this one

    def talk_ids(self, connection: Connection) -> set[int]:
        found = {talk_id for talk_id in self.talks if talk_id is not None}
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


def _no_widening(connection: Connection, deleted_talk_ids: set[int]) -> set[int]:
    return set()


@dataclass(frozen=True, eq=False)  # compared and hashed by identity, as event listeners are
class TalkChangeFollower:
    """One feature's following of talk changes.

    `note(touched, obj, is_deleted)` adds what a flushed row touches; `on_commit(session, talk_ids)`
    runs just before the outermost commit, in its transaction; `widen_deleted(connection, ids)` names
    more talks to note when talks are deleted (those whose stored data name them)."""

    key: str  # of session.info
    note: Callable[[TouchedTalks, object, bool], None]
    on_commit: Callable[[Session, set[int]], None]
    bulk_keys: dict[str, Keys] = field(default_factory=lambda: dict(BULK_KEYS))
    widen_deleted: Callable[[Connection, set[int]], set[int]] = _no_widening

    def pending(self, session: Session) -> TouchedTalks:
        return session.info.setdefault(self.key, TouchedTalks())

    def _note_all(self, touched: TouchedTalks, rows: Iterable, is_deleted: bool = False) -> None:
        for obj in rows:
            self.note(touched, obj, is_deleted)

    def _before_flush(self, session: Session, flush_context, instances) -> None:
        touched = self.pending(session)
        self._note_all(touched, session.deleted, is_deleted=True)
        deleted_talks = {obj.id for obj in session.deleted if isinstance(obj, Talk)}
        if deleted_talks:
            touched.talks |= self.widen_deleted(session.connection(), deleted_talks)
        self._note_all(touched, modified_rows(session))
        touched.resolve(session.connection())

    def _after_flush(self, session: Session, flush_context) -> None:
        self._note_all(self.pending(session), [*session.new, *modified_rows(session)])

    def _before_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint: the outermost commit does it once
        session.flush()
        touched = session.info.pop(self.key, None)
        if touched is not None:
            self.on_commit(session, touched.talk_ids(session.connection()))

    def _forget_on_new_transaction(self, session: Session, transaction) -> None:
        if transaction.parent is None:
            session.info.pop(self.key, None)

    def _do_orm_execute(self, state: ORMExecuteState):
        table = bulk_target(state, self.bulk_keys)
        if table is None:
            return None
        connection, touched = state.session.connection(), self.pending(state.session)
        if state.is_insert and table.name == "talks":
            highest = connection.scalar(select(func.max(talks_table.c.id))) or 0
            touched.talks_above = highest if touched.talks_above is None else min(highest, touched.talks_above)
        elif state.is_insert:
            collect_inserted(touched, state, self.bulk_keys[table.name])
        else:
            collect_matched(touched, connection, state, table, self.bulk_keys[table.name])
            if state.is_delete and table.name == "talks":
                touched.talks |= self.widen_deleted(connection, set(touched.talks))
            touched.resolve(connection)
        return None

    def install(self, session_target) -> None:
        """Listen on a session class or sessionmaker; idempotent (the bound methods of one follower
        compare equal, so listening twice is seen)."""
        listen_once(session_target, [
            ("before_flush", self._before_flush), ("after_flush", self._after_flush),
            ("before_commit", self._before_commit), ("after_transaction_create", self._forget_on_new_transaction),
            ("do_orm_execute", self._do_orm_execute)])
