from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow
from webapp.models.status import Status, status_column


class CuratedPath(db.Model):
    """A curated path ("parcours"): an organiser's ordered reading list of talks across events."""

    __tablename__ = "curated_paths"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    introduction: Mapped[str | None] = mapped_column(Text)  # sanitised HTML, from introduction_source
    introduction_source: Mapped[str | None] = mapped_column(Text)  # the Markdown as written
    status: Mapped[Status] = status_column()
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list["CuratedPathItem"]] = relationship(
        back_populates="path", order_by="CuratedPathItem.position", cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def __repr__(self) -> str:
        return f"<CuratedPath {self.slug}>"


class CuratedPathItem(db.Model):
    """A talk in a curated path, at its position, with the organiser's note about it."""

    __tablename__ = "curated_path_items"
    __table_args__ = (UniqueConstraint("path_id", "talk_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("curated_paths.id", ondelete="CASCADE"))
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)  # plain text

    path: Mapped[CuratedPath] = relationship(back_populates="items")
    talk: Mapped["Talk"] = relationship()  # noqa: F821
