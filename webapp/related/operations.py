"""Recomputing the stored related talks (they flush, never commit): one talk, a drained queue batch,
or everything (`flask related rebuild`)."""
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import selectinload

from webapp.core.visibility import public_talk_condition
from webapp.core.writers import exclusive_writer, try_writer_lock
from webapp.extensions import db
from webapp.models import RelatedQueueEntry, RelatedTalk, Talk
from webapp.related.queries import neighbourhood
from webapp.related.ranking import rank_related

DRAIN_BATCH = 500  # queue entries per commit
CHUNK = 200
# Related workers of several hosts take turns: one batch (or a rebuild) at a time in the database.
WRITER_LOCK = "related talks writer"
REBUILD_WAIT_SECONDS = 600


def _load_talks(ids: list[int]) -> list[Talk]:
    options = (selectinload(Talk.speaker_links), selectinload(Talk.tags))
    return list(db.session.scalars(select(Talk).options(*options).where(Talk.id.in_(ids))))


def recompute_related(talk_ids) -> int:
    """Store the related talks of these talks anew (none for a talk that is not public); returns
    how many talks were recomputed. Flushes."""
    ids = sorted(set(talk_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        db.session.execute(delete(RelatedTalk).where(RelatedTalk.talk_id.in_(chunk)))
        public = set(db.session.scalars(select(Talk.id).where(Talk.id.in_(chunk), public_talk_condition())))
        rows = [{"talk_id": talk.id, "rank": rank, "related_talk_id": found.talk_id, "reason": found.reason}
                for talk in _load_talks(sorted(public)) for rank, found in enumerate(rank_related(talk))]
        if rows:
            db.session.execute(insert(RelatedTalk), rows)
    db.session.flush()
    return len(ids)


def process_queue_batch(limit: int = DRAIN_BATCH) -> int:
    """Recompute the neighbourhoods of the oldest queued talks, then delete their entries. Returns the
    entries processed; 0 while another host's worker holds the writer lock. Flushes."""
    if not try_writer_lock(WRITER_LOCK):
        return 0
    entries = db.session.execute(select(RelatedQueueEntry.id, RelatedQueueEntry.talk_id)
                                 .order_by(RelatedQueueEntry.id).limit(limit)).all()
    if not entries:
        return 0
    recompute_related(neighbourhood({entry.talk_id for entry in entries}))
    db.session.execute(delete(RelatedQueueEntry).where(RelatedQueueEntry.id.in_([e.id for e in entries])))
    return len(entries)


def drain_related_queue(limit: int = DRAIN_BATCH) -> int:
    """Drain the whole queue, one committed batch at a time (an edge: it commits). Returns the entries."""
    drained = 0
    while True:
        try:
            batch = process_queue_batch(limit)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        drained += batch
        if batch < limit:
            return drained


def rebuild_related() -> int:
    """Recompute every talk's related talks; the queue entries this covers are deleted. Waits for a
    worker's batch to end. Flushes."""
    exclusive_writer(WRITER_LOCK, REBUILD_WAIT_SECONDS)
    covered = db.session.scalar(select(func.max(RelatedQueueEntry.id)))
    count = recompute_related(db.session.scalars(select(Talk.id)))
    db.session.execute(delete(RelatedTalk).where(~RelatedTalk.talk_id.in_(select(Talk.id))))
    if covered is not None:
        db.session.execute(delete(RelatedQueueEntry).where(RelatedQueueEntry.id <= covered))
    return count


def queue_length() -> int:
    return db.session.scalar(select(func.count(RelatedQueueEntry.id)))
