"""Which talks' related lists a transaction may have changed: noted as the session flushes, written to
the related queue (the outbox, RelatedQueueEntry) just before the outermost transaction commits, so
they are as durable as the change; the related worker recomputes them after the commit (worker.py).

- `before_flush` notes deleted and modified rows while the old links exist (a deleted talk's
  neighbours, a deleted tag's talks), `after_flush` new and modified rows;
- bulk statements skip the flush events: `do_orm_execute` notes the rows they touch; a bulk insert
  of talks notes every id above the old max (webapp/core/talk_changes.py does all three).
The worker widens each noted talk to its neighbourhood (queries.neighbourhood): over-noting is harmless.
"""
from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from webapp.core.talk_changes import TalkChangeFollower, TouchedTalks
from webapp.models import Event, RelatedQueueEntry, RelatedTalk, Speaker, Tag, Talk, TalkSpeaker
from webapp.models._base import utcnow

related_table, queue_table = RelatedTalk.__table__, RelatedQueueEntry.__table__

_NOTES = {
    Talk: lambda t, o: t.talks.add(o.id),
    TalkSpeaker: lambda t, o: t.talks.add(o.talk_id),
    Event: lambda t, o: t.events.add(o.id),
    Speaker: lambda t, o: t.speakers.add(o.id),
    Tag: lambda t, o: t.tags.add(o.id),
}


def _note(touched: TouchedTalks, obj, is_deleted: bool) -> None:
    if (note := _NOTES.get(type(obj))) is not None:
        note(touched, obj)


def _listing(connection: Connection, talk_ids: set) -> set[int]:
    """Talks whose stored list names one of these (a deleted talk leaves a gap there)."""
    if not talk_ids:
        return set()
    query = select(related_table.c.talk_id).where(related_table.c.related_talk_id.in_(talk_ids))
    return set(connection.scalars(query))


def queue_talks(connection: Connection, talk_ids) -> None:
    """Queue these talks' related lists for the worker (in the caller's transaction)."""
    if talk_ids:
        now = utcnow()
        connection.execute(insert(queue_table), [{"talk_id": t, "created_at": now} for t in sorted(talk_ids)])


def _queue_on_commit(session: Session, talk_ids: set[int]) -> None:
    queue_talks(session.connection(), talk_ids)


FOLLOWER = TalkChangeFollower(key="related_touched", note=_note, on_commit=_queue_on_commit,
                              widen_deleted=_listing)
install_tracking = FOLLOWER.install
