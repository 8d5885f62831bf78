"""Who may do what, checked on the server for every route.

Sessions come from Flask-Login (cookie); API clients send `Authorization: Bearer <token>`.
Views declare their audience with @manage_required, @admin_required or @login_required (and a
blueprint with `require_audience`), and may add a check of their URL with @checked_before_body.

`check_before_body` runs before every other request hook, CSRF's included, so a request that may
not reach a view is answered (login redirect, 401, 403 or 404) before anything reads its body:
its size, its form and its files never decide what a stranger sees.
"""
import hashlib
from datetime import datetime, timezone
from functools import wraps

from flask import abort, current_app, request, session
from flask_login import current_user
from sqlalchemy import select

from webapp.extensions import db, login_manager
from webapp.models import ApiToken, User, UserSession


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The active user of a live server-side session (webapp/accounts/sessions.py)."""
    user_id, _, token = session_id.partition(".")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 10 and token):
        return None
    user = db.session.scalar(
        select(User).join(UserSession).where(
            User.id == int(user_id), UserSession.token_hash == hash_token(token),
            UserSession.expires_at > datetime.now(timezone.utc)))
    if user is None or not user.is_active:
        return None
    user.session_token = token
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


def _refusal(allowed):
    """The answer for a user outside the audience `allowed` (login page, 401 or 403), else None."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not allowed(current_user):
        abort(403)
    return None


def _require(allowed) -> callable:
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            return _refusal(allowed) or view(*args, **kwargs)
        wrapped.audience = allowed
        return wrapped
    return decorator


def carries_credentials() -> bool:
    """Whether this request may belong to a user at all: a session naming one (Flask-Login's
    `_user_id`), a remember-me cookie, or an Authorization header. No database query: without
    any of them, current_user is anonymous (counting asks before loading it)."""
    return credentials_in(request, session, current_app.config)


def credentials_in(any_request, session_data, config) -> bool:
    """carries_credentials for any request (a bare Werkzeug one too) and its decoded session."""
    if "_user_id" in session_data or "Authorization" in any_request.headers:
        return True
    return bool(any_request.cookies.get(config.get("REMEMBER_COOKIE_NAME", "remember_token")))


def is_active_user(user) -> bool:
    return user.is_active


def can_manage(user) -> bool:
    return user.can_manage


def is_admin(user) -> bool:
    return user.is_admin


login_required = _require(is_active_user)
manage_required = _require(can_manage)
admin_required = _require(is_admin)
BLUEPRINT_AUDIENCES: dict[str, callable] = {}


def require_audience(blueprint, allowed) -> None:
    """Every route of the blueprint is for `allowed` users (checked before the body is read)."""
    BLUEPRINT_AUDIENCES[blueprint.name] = allowed

    @blueprint.before_request
    def _audience_only():
        return _refusal(allowed)


def checked_before_body(check) -> callable:
    """`check(**url_values)` aborts (404, 403) when the URL names something the user may not
    use; check_before_body runs it before the request body is read (the view checks again
    what it loads)."""
    def decorator(view):
        view.url_check = check
        return view
    return decorator


def check_before_body():
    """The app's first request hook: audience and URL checks, before anything reads the body.

    The decorators' marks are read on the registered view: functools.wraps copies the marks of
    the functions it wraps, so the outermost one carries them all, each once."""
    view = current_app.view_functions.get(request.endpoint)
    for allowed in (BLUEPRINT_AUDIENCES.get(request.blueprint), getattr(view, "audience", None)):
        if allowed is not None and (refusal := _refusal(allowed)) is not None:
            return refusal
    if (url_check := getattr(view, "url_check", None)) is not None:
        url_check(**(request.view_args or {}))
    return None


def is_api_request() -> bool:
    return request.path.startswith("/api/")


@login_manager.unauthorized_handler
def unauthorized():
    """API clients get a 401; people are sent to the login page and brought back afterwards."""
    from flask import redirect, url_for

    if is_api_request():
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
