from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow


class SearchIndexCursor(db.Model):
    """A search index that follows the search log (one per host): the last log id it applied.

    The index keeps its own cursor with its segments, committed with them (search_index/); this row
    is its copy for the others: the log is pruned below the lowest registered cursor (or past the
    retention period), and `flask search status` lists every index and its lag."""

    __tablename__ = "search_index_cursors"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # SEARCH_INDEX_NAME
    log_cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    host: Mapped[str] = mapped_column(String(200))
    index_dir: Mapped[str] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SearchIndexCursor {self.name} {self.log_cursor}>"
