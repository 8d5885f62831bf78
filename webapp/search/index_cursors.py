"""The database copy of every index's log cursor (table search_index_cursors, one row per host).

An index's own cursor, committed with its segments, is authoritative (queue_rows.py); this row is
updated after each index commit (in the same database commit as nothing else: the drain's), so it
may lag behind by a batch after a crash, never run ahead. The log is pruned below the lowest row
(log_pruning.py) and `flask search status` lists the rows. An index registers here when it first
commits or is rebuilt, under its SEARCH_INDEX_NAME.
"""
from dataclasses import dataclass

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import SearchIndexCursor


@dataclass(frozen=True)
class IndexIdentity:
    """Who an index is: its SEARCH_INDEX_NAME, the host it lives on and its directory."""

    name: str
    host: str
    index_dir: str


def record_cursor(identity: IndexIdentity, log_cursor: int) -> None:
    """Register the index or move its cursor (only if it changed). Flushes."""
    row = db.session.get(SearchIndexCursor, identity.name)
    if row is None:
        db.session.add(SearchIndexCursor(name=identity.name, host=identity.host,
                                         index_dir=identity.index_dir, log_cursor=log_cursor))
    elif (row.log_cursor, row.host, row.index_dir) != (log_cursor, identity.host, identity.index_dir):
        row.log_cursor, row.host, row.index_dir = log_cursor, identity.host, identity.index_dir
    db.session.flush()


def registered_cursors() -> list[SearchIndexCursor]:
    return list(db.session.scalars(select(SearchIndexCursor).order_by(SearchIndexCursor.name)))
