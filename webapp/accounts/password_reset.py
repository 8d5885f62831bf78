"""Password reset links: signed, expiring, and usable once.

The signed payload holds the user id and a fingerprint of the current password hash, so
setting a new password (through the link or otherwise) makes every earlier link invalid.
"""

from datetime import datetime, timedelta, timezone

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from webapp.accounts.operations import find_user, normalise_email, set_password
from webapp.core.mail import send_mail
from webapp.extensions import db
from webapp.models import PasswordResetRequest, User

SALT = "causeries.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def reset_payload(user: User) -> dict:
    return {"user_id": user.id, "fingerprint": user.password_fingerprint}


def make_reset_token(user: User) -> str:
    return _serializer().dumps(reset_payload(user))


def user_for_reset_token(token: str) -> User | None:
    """The active user the token was made for, if it is authentic, fresh and still unused."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
        user = db.session.get(User, int(payload["user_id"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or not user.is_active or payload.get("fingerprint") != user.password_fingerprint:
        return None
    return user


def reset_link(token: str) -> str:
    """Built from SITE_URL, never from the request's Host header (reset-link poisoning)."""
    return current_app.config["SITE_URL"].rstrip("/") + url_for("auth.reset_password", token=token)


def _throttle_window_start() -> datetime:
    return datetime.now(timezone.utc) - timedelta(seconds=current_app.config["PASSWORD_RESET_WINDOW"])


def _recent_requests(condition) -> int:
    return db.session.scalar(select(func.count(PasswordResetRequest.id)).where(
        condition, PasswordResetRequest.created_at > _throttle_window_start())) or 0


def is_reset_throttled(client_address: str) -> bool:
    """Too many requests from this client address within the window (it is then told so)."""
    requests = _recent_requests(PasswordResetRequest.client_address == client_address[:64])
    return requests >= current_app.config["PASSWORD_RESET_MAX_PER_ADDRESS"]


def record_reset_request(email: str, client_address: str) -> bool:
    """Records the request; True when the account may still be mailed within the window. Beyond
    that the answer stays the same (no telling which emails have accounts) but no mail leaves."""
    db.session.execute(delete(PasswordResetRequest).where(
        PasswordResetRequest.created_at <= _throttle_window_start()))
    email_key = normalise_email(email)[:320]
    may_mail = (_recent_requests(PasswordResetRequest.email_key == email_key)
                < current_app.config["PASSWORD_RESET_MAX_PER_ACCOUNT"])
    db.session.add(PasswordResetRequest(email_key=email_key, client_address=client_address[:64]))
    db.session.flush()
    return may_mail


def send_reset_link(email: str) -> None:
    """Mails a link when an active account has this email; says nothing either way."""
    user = find_user(email)
    if user is None or not user.is_active:
        return
    link = reset_link(make_reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    body = render_template("auth/reset_email.txt", link=link, minutes=minutes, user=user)
    send_mail(_("Reset your %(site)s password", site=current_app.config["SITE_NAME"]), user.email, body)


def reset_password(token: str, password: str) -> User | None:
    user = user_for_reset_token(token)
    if user is not None:
        set_password(user, password)
    return user
