"""Who may do what, checked on the server for every route.

Sessions come from Flask-Login (cookie); API clients send `Authorization: Bearer <token>`.
Views declare their audience with @manage_required, @admin_required or @login_required.
"""
import hashlib
from datetime import datetime, timezone
from functools import wraps

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from webapp.extensions import db, login_manager
from webapp.models import ApiToken, User


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The active user of a session whose password has not changed since it logged in."""
    user_id, _, fingerprint = session_id.partition(".")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.password_fingerprint != fingerprint:
        return None
    return user


@login_manager.request_loader
def load_user_from_bearer_token(req) -> User | None:
    """API clients: a valid, unrevoked token of an active user."""
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    api_token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token.strip()),
                               ApiToken.revoked_at.is_(None)))
    if api_token is None or not api_token.user.is_active:
        return None
    api_token.last_used_at = datetime.now(timezone.utc)
    return api_token.user


def _require(allowed) -> callable:
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


login_required = _require(lambda user: user.is_active)
manage_required = _require(lambda user: user.can_manage)
admin_required = _require(lambda user: user.is_admin)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


@login_manager.unauthorized_handler
def unauthorized():
    """API clients get a 401; people are sent to the login page and brought back afterwards."""
    from flask import redirect, url_for

    if is_api_request():
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
