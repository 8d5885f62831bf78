"""The search queue as the index writer reads it: the oldest entries, the later entries of the same
documents, and deleting exactly the entries an index commit covers (a drain batch, a rebuild).

What a commit covers: an entry is committed with its change (outbox.py), so an entry a SELECT
returns belongs to a change committed before that SELECT ran, and documents read from the database
after it include that change. Entries are deleted by id, never by a range of ids: on PostgreSQL an
id is taken when the row is inserted, not when it is committed, so an entry below one already seen
may still be committed later, for a change the documents read so far do not include.
"""
from array import array
from collections.abc import Iterable

from sqlalchemy import Row, delete, select

from webapp.extensions import db
from webapp.models import SearchQueueEntry
from webapp.search.documents import sorted_batches

IN_LIST_SIZE = 1000  # ids or document ids per IN (...) list
LOOK_AHEAD = 50_000  # how far past a batch its documents' later entries are looked for (a range of ids)


def oldest_entries(limit: int) -> list[Row]:
    """The `limit` oldest entries: (id, doc_id) rows in queue order."""
    return db.session.execute(
        select(SearchQueueEntry.id, SearchQueueEntry.doc_id).order_by(SearchQueueEntry.id).limit(limit)
    ).all()


def later_entries_of(doc_ids: Iterable[str], after_id: int) -> list[int]:
    """Ids of the entries queued for these documents within LOOK_AHEAD ids after entry `after_id`:
    covered too by the documents read after this call (a bulk import queues a speaker again with
    each of their talks). A range of the primary key, so a long queue is never read whole."""
    found = []
    for batch in sorted_batches(doc_ids, IN_LIST_SIZE):
        found += db.session.scalars(select(SearchQueueEntry.id).where(
            SearchQueueEntry.id > after_id, SearchQueueEntry.id <= after_id + LOOK_AHEAD,
            SearchQueueEntry.doc_id.in_(batch)))
    return found


def queued_entry_ids() -> array:
    """The id of every entry queued now (compact: a rebuild may start on a long queue)."""
    return array("q", db.session.scalars(select(SearchQueueEntry.id).order_by(SearchQueueEntry.id)))


def delete_entries(ids: Iterable[int]) -> int:
    """Delete these entries (those gone already are skipped); returns how many ids were given. Flushes."""
    count = 0
    for batch in sorted_batches(ids, IN_LIST_SIZE):
        db.session.execute(delete(SearchQueueEntry).where(SearchQueueEntry.id.in_(batch)))
        count += len(batch)
    db.session.flush()
    return count
