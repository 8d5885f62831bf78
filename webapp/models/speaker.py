from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow

# Accounts that keep a speaker profile: a profile may have several owners (a shared profile, a
# merged duplicate) and an account may keep several profiles.
speaker_owners = Table(
    "speaker_owners",
    db.metadata,
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Speaker(db.Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Normalised name (no accents, case or punctuation): one person, one speaker.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    # Whether programmes and imports that name this person are matched to this speaker: true for a
    # name an organiser or an import gave; false after the speaker renamed themselves, until an
    # organiser confirms it (a name typed in a profile never makes someone else's talk theirs).
    is_name_confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Sort key for the A-Z list: family name first where it can be told.
    sort_key: Mapped[str] = mapped_column(String(200), index=True)
    headline: Mapped[str | None] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    bio: Mapped[str | None] = mapped_column(Text)  # sanitised HTML, rendered from bio_source
    # The Markdown the speaker or an organiser wrote; None for HTML written elsewhere (core/rich_text.py).
    bio_source: Mapped[str | None] = mapped_column(Text)
    preferred_language: Mapped[str | None] = mapped_column(String(5))  # "fr" | "en"
    photo_key: Mapped[str | None] = mapped_column(String(200))
    # [{"label": "Website", "url": "https://..."}]
    links: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Summary data (webapp/catalogue/summary/): their public talks, and the letter of the A-Z
    # index they are listed under ("a".."z", or "#").
    public_talk_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    index_letter: Mapped[str] = mapped_column(String(1), default="#", server_default="#")

    aliases: Mapped[list["SpeakerAlias"]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.name"
    )
    talk_links: Mapped[list["TalkSpeaker"]] = relationship(  # noqa: F821
        back_populates="speaker", cascade="all, delete-orphan"
    )
    owners: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary=speaker_owners, back_populates="speaker_profiles")

    @property
    def confirmed_aliases(self) -> list["SpeakerAlias"]:
        """The spellings shown and searched publicly: those an organiser gave or confirmed."""
        return [alias for alias in self.aliases if alias.is_confirmed]

    @property
    def pending_names(self) -> list[str]:
        """The name and spellings the speaker entered that no organiser has confirmed yet."""
        names = [] if self.is_name_confirmed else [self.name]
        return names + [alias.name for alias in self.aliases if not alias.is_confirmed]

    def __repr__(self) -> str:
        return f"<Speaker {self.slug}>"


# The busiest first (the home page's search example), and the A-Z index one letter at a time.
Index("ix_speakers_by_talk_count", Speaker.public_talk_count.desc(), Speaker.sort_key, Speaker.id)
Index("ix_speakers_index_letter", Speaker.index_letter, Speaker.sort_key, Speaker.id)


class SpeakerAlias(db.Model):
    """Another spelling of a speaker's name (maiden name, typo in a programme...)."""

    __tablename__ = "speaker_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    # As Speaker.is_name_confirmed: a spelling the speaker entered waits for an organiser.
    is_confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")
