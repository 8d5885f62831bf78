from datetime import datetime

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models._base import UTCDateTime, utcnow


class LoginAttempt(db.Model):
    """One try at logging in, kept for the throttling window only.

    Stored in the database so that every gunicorn worker counts the same failures. The email
    is the one typed (lower-cased), whether or not an account has it; no password is stored.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_key_created_at", "email_key", "created_at"),
        Index("ix_login_attempts_client_address_created_at", "client_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str] = mapped_column(String(64))
    is_success: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        outcome = "success" if self.is_success else "failure"
        return f"<LoginAttempt {self.email_key} {self.client_address} {outcome}>"


class PasswordResetRequest(db.Model):
    """One "forgot password" request, kept for the throttling window only: it caps the reset mails
    an address may send to one account, and the requests one client may make."""

    __tablename__ = "password_reset_requests"
    __table_args__ = (
        Index("ix_password_reset_requests_email_key_created_at", "email_key", "created_at"),
        Index("ix_password_reset_requests_client_address_created_at", "client_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
