from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow

# Why a talk is related, in the order the list ranks them (webapp/related/ranking.py).
RELATED_REASONS = ("series", "shared", "text", "event")


class RelatedTalk(db.Model):
    """One line of a talk's "related talks": stored once per change, read as it is (webapp/related/).

    Computed from public talks only; the page filters by visibility again, so a talk that stops being
    public leaves every list at once, before the lists are recomputed."""

    __tablename__ = "related_talks"

    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 first
    related_talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # one of RELATED_REASONS


class RelatedQueueEntry(db.Model):
    """The related talks' outbox: a talk whose neighbourhood changed, written in the same transaction
    as the change, drained after the commit by the related worker (webapp/related/worker.py)."""

    __tablename__ = "related_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    talk_id: Mapped[int] = mapped_column(Integer)  # no foreign key: a deleted talk's neighbours are recomputed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
