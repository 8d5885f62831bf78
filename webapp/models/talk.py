from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow
from webapp.models.status import Status, status_column
from webapp.models.summary import UNDATED
from webapp.models.tag import Tag, talk_tags

# The optional structured sections of an experience report, in reading order.
REPORT_SECTIONS = ("context", "objectives", "actions", "results", "lessons")


class Series(db.Model):
    """Talks published as a numbered series ("1 of 6")."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    planned_count: Mapped[int | None] = mapped_column(Integer)
    # Summary data (webapp/catalogue/summary/): its public talks.
    public_talk_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    talks: Mapped[list["Talk"]] = relationship(
        back_populates="series", order_by="Talk.series_position"
    )


class TalkSpeaker(db.Model):
    """Ordered link between a talk and its speakers."""

    __tablename__ = "talk_speakers"

    talk_id: Mapped[int] = mapped_column(
        ForeignKey("talks.id", ondelete="CASCADE"), primary_key=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)  # the speaker's rank among the talk's
    # Summary data, copied from the talk and its event (webapp/catalogue/summary/), as in talk_tags:
    # a speaker page reads their talks newest first from the index.
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    listed_on: Mapped[date] = mapped_column(Date, default=UNDATED, server_default=UNDATED.isoformat())
    talk_position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    talk: Mapped["Talk"] = relationship(back_populates="speaker_links")
    speaker: Mapped["Speaker"] = relationship(back_populates="talk_links")  # noqa: F821


class Talk(db.Model):
    __tablename__ = "talks"
    __table_args__ = (
        UniqueConstraint("event_id", "import_key"),
        Index("ix_talks_programme", "event_id", "status", "position", "id"),  # programmes, in order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(400))
    summary: Mapped[str | None] = mapped_column(Text)  # sanitised HTML, rendered from summary_source
    language: Mapped[str | None] = mapped_column(String(8))  # ISO 639-1; None = unknown
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), index=True
    )
    series_position: Mapped[int | None] = mapped_column(Integer)
    given_on: Mapped[date | None] = mapped_column(Date, index=True)  # the day it was given
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # exact time, when known
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    video_url: Mapped[str | None] = mapped_column(String(500))
    licence: Mapped[str | None] = mapped_column(String(64))  # SPDX id, e.g. CC-BY-4.0
    room: Mapped[str | None] = mapped_column(String(200))  # where in the venue, e.g. from a schedule
    # Web pages about the talk, as Speaker.links: [{"url": ..., "label": ...}] (None: none).
    links: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[Status] = status_column()
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Where an imported talk came from (e.g. the pyvideo file name): makes imports idempotent.
    import_key: Mapped[str | None] = mapped_column(String(300))

    # Structured sections of an experience report (sanitised HTML), see REPORT_SECTIONS.
    context: Mapped[str | None] = mapped_column(Text)
    objectives: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    results: Mapped[str | None] = mapped_column(Text)
    lessons: Mapped[str | None] = mapped_column(Text)

    # The Markdown each rich text column was rendered from, as its author wrote it; None for HTML
    # written elsewhere, such as an import (webapp/core/rich_text.py).
    summary_source: Mapped[str | None] = mapped_column(Text)
    context_source: Mapped[str | None] = mapped_column(Text)
    objectives_source: Mapped[str | None] = mapped_column(Text)
    actions_source: Mapped[str | None] = mapped_column(Text)
    results_source: Mapped[str | None] = mapped_column(Text)
    lessons_source: Mapped[str | None] = mapped_column(Text)

    event: Mapped["Event"] = relationship(back_populates="talks")  # noqa: F821
    series: Mapped[Series | None] = relationship(back_populates="talks")
    tags: Mapped[list[Tag]] = relationship(secondary=talk_tags, order_by=Tag.name)
    speaker_links: Mapped[list[TalkSpeaker]] = relationship(
        back_populates="talk", order_by=TalkSpeaker.position, cascade="all, delete-orphan"
    )

    @property
    def speakers(self) -> list["Speaker"]:  # noqa: F821
        return [link.speaker for link in self.speaker_links]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def report_sections(self) -> list[tuple[str, str]]:
        """(name, html) of the structured sections that have content, in order."""
        return [(name, getattr(self, name)) for name in REPORT_SECTIONS if getattr(self, name)]

    def __repr__(self) -> str:
        return f"<Talk {self.slug}>"


Index("ix_talk_speakers_listing", TalkSpeaker.speaker_id, TalkSpeaker.is_public, TalkSpeaker.listed_on.desc(),
      TalkSpeaker.talk_position, TalkSpeaker.talk_id)
# The fullest first: the home page reads the first rows.
Index("ix_series_by_talk_count", Series.public_talk_count.desc(), Series.title, Series.id)
