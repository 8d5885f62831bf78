"""Transcripts of talks: one per talk and language, as normalised WebVTT and its cues.

`vtt` is the file as the archive serves it (webapp/transcripts/validation.py writes it from the
uploaded WebVTT or SRT); `cues` holds the same cues as [start_ms, end_ms, text], their text plain
(tags stripped, never HTML), for the talk page and the search document.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow


class Transcript(db.Model):
    __tablename__ = "transcripts"
    __table_args__ = (UniqueConstraint("talk_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))  # one of the archive's LANGUAGES
    vtt: Mapped[str] = mapped_column(Text)
    cues: Mapped[list] = mapped_column(JSON)  # [[start_ms, end_ms, text], ...] in time order
    cue_count: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))  # sanitised
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    talk: Mapped["Talk"] = relationship()  # noqa: F821
    uploaded_by: Mapped["User | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Transcript {self.id} talk={self.talk_id} {self.language}>"
