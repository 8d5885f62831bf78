from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow
from webapp.models.speaker import Speaker
from webapp.models.user import User


class SpeakerInvitation(db.Model):
    """An organiser's invitation to a speaker to claim their profile.

    The emailed link is signed and carries a random nonce; only the nonce's SHA-256 is stored.
    It is valid until expires_at and only once (used_at)."""

    __tablename__ = "speaker_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))  # stored lower-cased
    nonce_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    speaker: Mapped[Speaker] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])

    def __repr__(self) -> str:
        return f"<SpeakerInvitation {self.speaker_id} {self.email}>"
