"""Login sessions kept on the server: logout, a new password and an admin end them for real.

The session cookie is signed, but a copy of it would stay valid for as long as the cookie says.
So the cookie only names a UserSession row (user id and a random secret, stored hashed), which
`webapp/core/access.py` looks up on every request: once the row is gone, every copy of the cookie
is worthless. Functions flush, never commit.
"""
import secrets
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import delete, func, select

from webapp.core.access import hash_token
from webapp.extensions import db
from webapp.models import User, UserSession


def start_user_session(user: User) -> str:
    """A new session of user (its secret is set on the user, for Flask-Login's get_id)."""
    now = datetime.now(timezone.utc)
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=hash_token(token), created_at=now,
                               expires_at=now + current_app.permanent_session_lifetime))
    db.session.flush()
    user.session_token = token
    return token


def end_user_session(user: User) -> None:
    """The session this user object was loaded for ends (logout)."""
    if user.session_token:
        db.session.execute(delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.token_hash == hash_token(user.session_token)))
        user.session_token = None


def end_all_sessions(user: User) -> int:
    """Every session of the account ends (a new password, or an admin's decision); how many."""
    ended = db.session.execute(delete(UserSession).where(UserSession.user_id == user.id)).rowcount
    user.session_token = None
    return ended


def live_session_counts() -> dict[int, int]:
    """user id -> sessions not yet expired."""
    query = (select(UserSession.user_id, func.count()).group_by(UserSession.user_id)
             .where(UserSession.expires_at > datetime.now(timezone.utc)))
    return dict(db.session.execute(query).all())
