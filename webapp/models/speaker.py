from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow


class Speaker(db.Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Normalised name (no accents, case or punctuation): one person, one speaker.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    # Sort key for the A-Z list: family name first where it can be told.
    sort_key: Mapped[str] = mapped_column(String(200), index=True)
    headline: Mapped[str | None] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    bio: Mapped[str | None] = mapped_column(Text)  # sanitised HTML
    photo_key: Mapped[str | None] = mapped_column(String(200))
    # [{"label": "Website", "url": "https://..."}]
    links: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    aliases: Mapped[list["SpeakerAlias"]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.name"
    )
    talk_links: Mapped[list["TalkSpeaker"]] = relationship(  # noqa: F821
        back_populates="speaker", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Speaker {self.slug}>"


class SpeakerAlias(db.Model):
    """Another spelling of a speaker's name (maiden name, typo in a programme...)."""

    __tablename__ = "speaker_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")
