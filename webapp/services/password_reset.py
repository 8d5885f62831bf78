"""Password reset links: signed, expiring, and usable once.

The signed payload holds the user id and a fingerprint of the current password hash, so
setting a new password (through the link or otherwise) makes every earlier link invalid.
"""

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from webapp.extensions import db
from webapp.models import User
from webapp.services.accounts import find_user, set_password
from webapp.services.mail import send_mail

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
