"""Slide decks attached to talks, and their pages (text and images) once processed.

A talk may have several versions of its deck; exactly one is current (the latest upload).
The file itself lives in the content-addressed store (webapp/core/storage.py) under `storage_key`.
"""
import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow


class DeckStatus(enum.StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class DeckKind(enum.StrEnum):
    PDF = "pdf"
    PPTX = "pptx"
    ODP = "odp"
    KEY = "key"  # Keynote: stored and offered as a download only


def _string_enum(enum_class, length: int = 20) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, validate_strings=True,
                values_callable=lambda members: [member.value for member in members])


class SlideDeck(db.Model):
    __tablename__ = "slide_decks"
    __table_args__ = (UniqueConstraint("talk_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per talk
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[DeckStatus] = mapped_column(_string_enum(DeckStatus), index=True,
                                               default=DeckStatus.PROCESSING)
    error: Mapped[str | None] = mapped_column(Text)  # why processing failed, for people
    kind: Mapped[DeckKind] = mapped_column(_string_enum(DeckKind))
    original_name: Mapped[str] = mapped_column(String(255))  # sanitised
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int | None] = mapped_column(Integer)
    licence: Mapped[str | None] = mapped_column(String(64))  # SPDX id, e.g. CC-BY-4.0
    # The address a schedule import fetched the file from: a new import does not fetch it again.
    source_url: Mapped[str | None] = mapped_column(String(1000))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A processing run holds the deck until then; after it, a crashed run is retried.
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    talk: Mapped["Talk"] = relationship()  # noqa: F821
    uploaded_by: Mapped["User | None"] = relationship()  # noqa: F821
    pages: Mapped[list["SlidePage"]] = relationship(
        back_populates="deck", order_by="SlidePage.number", cascade="all, delete-orphan")

    @property
    def is_ready(self) -> bool:
        return self.status == DeckStatus.READY

    @property
    def has_images(self) -> bool:
        return any(page.thumb_key for page in self.pages)

    def __repr__(self) -> str:
        return f"<SlideDeck {self.id} talk={self.talk_id} v{self.version} {self.status}>"


class SlidePage(db.Model):
    __tablename__ = "slide_pages"
    __table_args__ = (UniqueConstraint("deck_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("slide_decks.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1-based
    text: Mapped[str] = mapped_column(Text, default="")
    thumb_key: Mapped[str | None] = mapped_column(String(64))  # None: no images (text only)
    image_key: Mapped[str | None] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)  # of the large image, in pixels
    height: Mapped[int | None] = mapped_column(Integer)

    deck: Mapped[SlideDeck] = relationship(back_populates="pages")
