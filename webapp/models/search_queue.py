from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow

QUEUE_OPS = ("upsert", "delete")


class SearchQueueEntry(db.Model):
    """The search log (an outbox): a search document to rebuild, written in the same transaction
    as the change.

    Append-only: every host's index follows it in id order from its own cursor, and entries are
    pruned once every index has passed them (webapp/search/queue_rows.py, log_pruning.py). Ids are
    committed in increasing order (webapp/search/outbox.py). The op is a hint: the writer always
    rebuilds the document from the database, and deletes it if it is not public.
    """

    __tablename__ = "search_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64))  # "talk:12", "speaker:3"
    op: Mapped[str] = mapped_column(String(10), default="upsert")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchQueueEntry {self.id} {self.op} {self.doc_id}>"
