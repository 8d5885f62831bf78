"""Recomputing the stored related talks: a queue drained batch after batch, or everything
(`flask related rebuild`).

Computing a list reads the database and the search index (a more-like-this per talk, some ms each);
storing it writes a few rows. So the lists are computed outside any write transaction, then stored
CHUNK talks per commit under the writer lock: another writer waits one chunk's writes at most (on
SQLite the lock is the database's own; a long batch under it once kept every visitor's and
organiser's commit waiting for minutes after a bulk import). A list computed from data that changed
meanwhile is recomputed anyway: that change queued its talks in its own transaction.

A queue that notes at least 1/BULK_SHARE of the talks (a bulk import) recomputes every talk once,
instead of the neighbourhood of each batch, which then spans most of the archive every time.
The reading and storing steps flush, never commit; drain_related_queue() and rebuild_related()
are the edges that commit.
"""
from dataclasses import dataclass
from functools import partial

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import selectinload

from webapp.core.visibility import public_talk_condition
from webapp.core.writers import exclusive_writer, try_writer_lock
from webapp.extensions import db
from webapp.models import RelatedQueueEntry, RelatedTalk, Talk
from webapp.related.queries import neighbourhood
from webapp.related.ranking import rank_related

DRAIN_BATCH = 500  # queue entries read at a time
CHUNK = 200  # talks whose lists one commit stores
BULK_SHARE = 10  # a queue noting this share of the talks or more: every talk is recomputed, once
# Related workers of several hosts take turns writing: one chunk (or a rebuild's) at a time.
WRITER_LOCK = "related talks writer"
REBUILD_WAIT_SECONDS = 600


@dataclass(frozen=True)
class QueuedWork:
    entry_ids: list[int]  # the queue entries it covers, deleted once it is stored
    talk_ids: list[int]  # the talks whose lists it recomputes


def _load_talks(ids: list[int]) -> list[Talk]:
    options = (selectinload(Talk.speaker_links), selectinload(Talk.tags))
    return list(db.session.scalars(select(Talk).options(*options).where(Talk.id.in_(ids))))


def related_rows(talk_ids: list[int]) -> list[dict]:
    """The related-talk rows of these talks, computed anew (none for a talk that is not public). Reads only."""
    public = db.session.scalars(select(Talk.id).where(Talk.id.in_(talk_ids), public_talk_condition()))
    return [{"talk_id": talk.id, "rank": rank, "related_talk_id": found.talk_id, "reason": found.reason}
            for talk in _load_talks(sorted(public)) for rank, found in enumerate(rank_related(talk))]


def store_related(talk_ids: list[int], rows: list[dict]) -> None:
    """These talks' lists replaced by `rows`. Flushes."""
    db.session.execute(delete(RelatedTalk).where(RelatedTalk.talk_id.in_(talk_ids)))
    if rows:
        db.session.execute(insert(RelatedTalk), rows)
    db.session.flush()


def remove_entries(entry_ids: list[int]) -> None:
    """Delete these queue entries. Flushes."""
    for start in range(0, len(entry_ids), CHUNK * 5):
        chunk = entry_ids[start:start + CHUNK * 5]
        db.session.execute(delete(RelatedQueueEntry).where(RelatedQueueEntry.id.in_(chunk)))
    db.session.flush()


def queued_work(limit: int = DRAIN_BATCH) -> QueuedWork | None:
    """The oldest `limit` queue entries and the talks to recompute for them (their neighbourhood),
    or the whole queue and every talk when it notes a bulk change; None when it is empty. Reads only."""
    entries = db.session.execute(select(RelatedQueueEntry.id, RelatedQueueEntry.talk_id)
                                 .order_by(RelatedQueueEntry.id).limit(limit)).all()
    if not entries:
        return None
    if len(entries) == limit and queue_length() * BULK_SHARE >= db.session.scalar(select(func.count(Talk.id))):
        return QueuedWork(entry_ids=list(db.session.scalars(select(RelatedQueueEntry.id))),
                          talk_ids=list(db.session.scalars(select(Talk.id).order_by(Talk.id))))
    return QueuedWork(entry_ids=[entry.id for entry in entries],
                      talk_ids=sorted(neighbourhood({entry.talk_id for entry in entries})))


def _read(reading):
    """reading()'s answer, its read transaction ended (a write lock is then taken on fresh data)."""
    try:
        return reading()
    finally:
        db.session.rollback()


def _committed(writing, take_lock) -> bool:
    """writing() committed under the writer lock; False, with nothing written, if take_lock() could not take it."""
    try:
        if not take_lock():
            return False
        writing()
        db.session.commit()
        return True
    except BaseException:
        db.session.rollback()
        raise


def _recomputed(talk_ids: list[int], take_lock) -> bool:
    """Every list of these talks computed, then stored CHUNK talks per commit; False if a lock was missed."""
    for start in range(0, len(talk_ids), CHUNK):
        chunk = talk_ids[start:start + CHUNK]
        rows = _read(partial(related_rows, chunk))
        if not _committed(partial(store_related, chunk, rows), take_lock):
            return False
    return True


def _try_lock() -> bool:
    return try_writer_lock(WRITER_LOCK)


def drain_related_queue(limit: int = DRAIN_BATCH) -> int:
    """Drain the whole queue, batch after batch (an edge: it commits). Returns the entries processed;
    stops early, to be called again, while another host's worker holds the writer lock."""
    drained = 0
    while (work := _read(partial(queued_work, limit))) is not None:
        if not _recomputed(work.talk_ids, _try_lock) or \
                not _committed(partial(remove_entries, work.entry_ids), _try_lock):
            return drained
        drained += len(work.entry_ids)
        if len(work.entry_ids) < limit:
            return drained
    return drained


def _wait_for_lock() -> bool:
    exclusive_writer(WRITER_LOCK, REBUILD_WAIT_SECONDS)  # raises a clear error past the wait
    return True


def rebuild_related() -> int:
    """Recompute every talk's related talks (an edge: it commits, a chunk at a time), drop the lists
    of deleted talks and the queue entries this covers. Returns how many talks were recomputed."""
    entry_ids = _read(lambda: list(db.session.scalars(select(RelatedQueueEntry.id))))
    talk_ids = _read(lambda: list(db.session.scalars(select(Talk.id).order_by(Talk.id))))
    _recomputed(talk_ids, _wait_for_lock)
    _committed(partial(_drop_orphans_and, entry_ids), _wait_for_lock)
    return len(talk_ids)


def _drop_orphans_and(entry_ids: list[int]) -> None:
    db.session.execute(delete(RelatedTalk).where(~RelatedTalk.talk_id.in_(select(Talk.id))))
    remove_entries(entry_ids)


def queue_length() -> int:
    return db.session.scalar(select(func.count(RelatedQueueEntry.id)))
