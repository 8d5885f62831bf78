"""The search log as an index reads it: the entries after its cursor, the newest id, its lag.

Entries are never deleted when applied: every index (one per host) follows the log from its own
cursor, the id of the last entry it applied (committed with the index, search_index/log_cursor.py).
A cursor is enough because ids become visible in increasing order (outbox.py: renumbered under a
lock at commit on PostgreSQL; SQLite serialises writers): once an index has applied id N, no
entry below N can appear later. Documents read from the database after an entry was read
include its change, so applying an entry's document and then moving the cursor past it loses
nothing; an entry applied twice (a crash before the cursor moved) is harmless, as apply() is
idempotent. The log is pruned separately (log_pruning.py).
"""
from datetime import datetime

from sqlalchemy import Row, func, select

from webapp.extensions import db
from webapp.models import SearchQueueEntry


def entries_after(cursor: int, limit: int) -> list[Row]:
    """The `limit` first entries after `cursor`: (id, doc_id) rows in log order."""
    return db.session.execute(
        select(SearchQueueEntry.id, SearchQueueEntry.doc_id).where(SearchQueueEntry.id > cursor)
        .order_by(SearchQueueEntry.id).limit(limit)
    ).all()


def newest_entry_id() -> int:
    """The highest id in the log (0 if it is empty): a snapshot's documents include it and all below."""
    return db.session.scalar(select(func.max(SearchQueueEntry.id))) or 0


def lag_after(cursor: int) -> tuple[int, datetime | None]:
    """(entries after `cursor`, when the oldest of them was written)."""
    return db.session.execute(
        select(func.count(SearchQueueEntry.id), func.min(SearchQueueEntry.created_at))
        .where(SearchQueueEntry.id > cursor)
    ).one()
