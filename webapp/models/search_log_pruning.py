from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow

SEARCH_LOG_PRUNING_ID = 1  # the table holds one row


class SearchLogPruning(db.Model):
    """How far the search log was pruned: every entry with an id up to `pruned_through` is gone.

    An index whose cursor is below it needs entries that no longer exist, so it rebuilds itself
    from the database (webapp/search/log_pruning.py). Ids are never reused (the newest entry is
    never pruned), so the watermark is exact even where ids have gaps (rolled-back inserts)."""

    __tablename__ = "search_log_pruning"

    id: Mapped[int] = mapped_column(primary_key=True)
    pruned_through: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SearchLogPruning {self.pruned_through}>"
