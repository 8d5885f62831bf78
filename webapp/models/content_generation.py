from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow

CONTENT_GENERATION_ID = 1  # the table's one row


class ContentGeneration(db.Model):
    """The page cache's content generation, in the database, for hosts that share no cache server:
    drawn anew after every commit that changed public content, and read by each host at most once a
    second (webapp/page_cache/)."""

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
