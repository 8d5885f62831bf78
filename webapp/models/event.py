from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow
from webapp.models.status import Status, status_column
from webapp.models.summary import UNDATED
from webapp.models.tag import Tag, event_tags


class Event(db.Model):
    """A study day or conference: the talks given there form its programme."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300), index=True)
    host_organisation: Mapped[str | None] = mapped_column(String(300), index=True)
    description: Mapped[str | None] = mapped_column(Text)  # sanitised HTML, rendered from description_source
    # The Markdown the organiser wrote; None for HTML written elsewhere (webapp/core/rich_text.py).
    description_source: Mapped[str | None] = mapped_column(Text)
    website_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[Status] = status_column()
    # The organisers' choice to show view counts on this event's talk pages (off by default).
    show_view_counts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where an imported event came from (e.g. the pyvideo folder name): makes imports idempotent.
    import_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Summary data (webapp/catalogue/summary/): its public talks (0 while a draft), and the day
    # lists show it under (start_date, or UNDATED).
    public_talk_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    listed_on: Mapped[date] = mapped_column(Date, default=UNDATED, server_default=UNDATED.isoformat())

    tags: Mapped[list[Tag]] = relationship(secondary=event_tags, order_by=Tag.name)
    talks: Mapped[list["Talk"]] = relationship(  # noqa: F821
        back_populates="event", order_by="Talk.position", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


# Newest first, as the event lists show them.
Index("ix_events_listing", Event.status, Event.listed_on.desc(), Event.title, Event.id)
