"""Pruning the search log: entries go once every registered index has applied them, or once they
are older than SEARCH_LOG_RETENTION_DAYS (an index that stopped following must not keep the log
growing for ever).

search_log_pruning records the highest id pruned (`pruned_through`, in the same transaction as the
delete). An index whose cursor is below it needs entries that are gone: it rebuilds itself from
the database (indexing.py). A drain reads its entries BEFORE the watermark: a prune committed
before the entries were read is then seen in the watermark, and one committed after could not
hide them. The newest entry is never pruned, so ids are never reused (SQLite gives a new row the
highest id + 1) and the watermark stays exact.
"""
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, select, update

from webapp.extensions import db
from webapp.models import SEARCH_LOG_PRUNING_ID, SearchIndexCursor, SearchLogPruning, SearchQueueEntry
from webapp.models._base import utcnow


def pruned_through() -> int:
    """Every entry up to this id was pruned (0: none ever was)."""
    return db.session.scalar(select(SearchLogPruning.pruned_through)
                             .where(SearchLogPruning.id == SEARCH_LOG_PRUNING_ID)) or 0


def prunable_through(retention_days: float, now: datetime | None = None) -> int:
    """The highest id that may go: passed by every registered index, or past the retention
    period; never the newest entry."""
    newest = db.session.scalar(select(func.max(SearchQueueEntry.id))) or 0
    lowest_cursor = db.session.scalar(select(func.min(SearchIndexCursor.log_cursor))) or 0
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    expired = db.session.scalar(select(func.max(SearchQueueEntry.id))
                                .where(SearchQueueEntry.created_at < cutoff)) or 0
    return max(0, min(max(lowest_cursor, expired), newest - 1))


def prune_log(retention_days: float, now: datetime | None = None) -> int:
    """Delete the entries that may go and move the watermark; returns how many. Flushes."""
    through = prunable_through(retention_days, now)
    if through <= pruned_through():
        return 0
    deleted = db.session.execute(delete(SearchQueueEntry).where(SearchQueueEntry.id <= through)).rowcount
    _raise_watermark(through)
    db.session.flush()
    return deleted


def _raise_watermark(through: int) -> None:
    """pruned_through = max(itself, through), in one statement (two hosts may prune at once)."""
    column = SearchLogPruning.pruned_through
    moved = db.session.execute(update(SearchLogPruning).where(SearchLogPruning.id == SEARCH_LOG_PRUNING_ID)
                               .values(pruned_through=case((column < through, through), else_=column),
                                       pruned_at=utcnow())).rowcount
    if not moved:
        db.session.add(SearchLogPruning(id=SEARCH_LOG_PRUNING_ID, pruned_through=through))
