import enum
import hashlib
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow

# The password policy: checked by accounts.operations.validate_password and by every password form.
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


class Role(enum.StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    SPEAKER = "speaker"


class User(db.Model):
    """An account. Organisers and admins run the archive; speakers keep their own profile."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-cased
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e],
             validate_strings=True))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan")
    sessions: Mapped[list["UserSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)
    speaker_profiles: Mapped[list["Speaker"]] = relationship(  # noqa: F821
        secondary="speaker_owners", back_populates="owners", order_by="Speaker.name")

    # Flask-Login's protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def password_fingerprint(self) -> str:
        """Changes whenever the password does: it ends earlier sessions and reset links."""
        return hashlib.sha256((self.password_hash or "").encode("utf-8")).hexdigest()[:20]

    # The secret of the login session this object was loaded for (or started), set by
    # webapp/core/access.py and webapp/accounts/sessions.py; not a column.
    session_token = None

    def get_id(self) -> str:
        """The cookie's user id: the account and one of its live server-side sessions
        (UserSession), which logout, a new password or an admin can end."""
        if not self.session_token:
            raise RuntimeError("No login session was started for this user.")
        return f"{self.id}.{self.session_token}"

    @property
    def can_manage(self) -> bool:
        """Organisers and admins may use /manage."""
        return self.is_active and self.role in (Role.ADMIN, Role.ORGANISER)

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the API. Only a SHA-256 hash of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(db.Model):
    """One login: its cookie holds the user id and a random secret, of which only a SHA-256 hash
    is stored. Deleting the row ends the session, wherever the cookie was copied to."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    user: Mapped[User] = relationship(back_populates="sessions")
