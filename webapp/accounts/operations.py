"""Accounts: users, passwords, API tokens and login throttling. Functions flush, never commit.

Passwords are hashed with scrypt and never stored, logged or echoed. API tokens are shown
once; only their SHA-256 hash is kept. Failed logins are counted in the database so that
every worker process sees the same count.
"""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.accounts.sessions import end_all_sessions, start_user_session
from webapp.core.access import hash_token
from webapp.extensions import db
from webapp.models import ApiToken, LoginAttempt, Role, User
from webapp.models.user import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

TOKEN_PREFIX_LENGTH = 8
# werkzeug's method string: scrypt at its default cost (N=2**15, r=8, p=1, about 100 ms and 32 MB a
# hash). The app's PASSWORD_HASH_METHOD overrides it (a config key, never read from the environment:
# the test suite's fixture lowers the cost, which only the stored hash's prefix records).
PASSWORD_HASH_METHOD = "scrypt"


class AccountError(ValueError):
    """A request about accounts that cannot be honoured; the message says why."""


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None = None
    is_throttled: bool = False


def normalise_email(email: str) -> str:
    return email.strip().lower()


MAX_EMAIL_LENGTH = 320


def is_usable_email(email: str) -> bool:
    """A normalised address that mail can reach: local part, a dotted domain, no spaces."""
    local, _at, domain = email.partition("@")
    return bool(local) and "." in domain and len(email) <= MAX_EMAIL_LENGTH and not any(c.isspace() for c in email)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_user(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise AccountError(f"No account has the email {normalise_email(email)}.")
    return user


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at most {MAX_PASSWORD_LENGTH} characters.")


def start_login_session(user: User) -> None:
    """A new server-side login session for user, before Flask-Login's login_user: the caller
    commits (webapp/accounts/sessions.py)."""
    start_user_session(user)


def set_password(user: User, password: str) -> None:
    """A new password; every login session of the account ends with the old one."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    db.session.flush()
    end_all_sessions(user)


def create_user(email: str, role: Role | str, password: str) -> User:
    email = normalise_email(email)
    if not is_usable_email(email):
        raise AccountError("This is not a usable email address.")
    if find_user(email) is not None:
        raise AccountError(f"An account with the email {email} already exists.")
    user = User(email=email, role=Role(role), is_active=True)
    db.session.add(user)
    set_password(user, password)
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def _hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_HASH_METHOD)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method())


@cache
def _unknown_user_hash(method: str) -> str:
    """Checked against when the email is unknown, so both answers take the same time."""
    return generate_password_hash("no account has this password", method=method)


def password_matches(user: User | None, password: str) -> bool:
    """Constant work whether or not the account exists; inactive accounts never match."""
    stored = user.password_hash if user is not None and user.password_hash else _unknown_user_hash(_hash_method())
    matches = check_password_hash(stored, password)
    return matches and user is not None and user.password_hash is not None and user.is_active


# --- API tokens ----------------------------------------------------------------------------

def issue_api_token(user: User) -> str:
    """A new token for the API; the caller shows it once, only its hash is kept."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=hash_token(token), prefix=token[:TOKEN_PREFIX_LENGTH]))
    db.session.flush()
    return token


def active_api_tokens(user: User) -> list[ApiToken]:
    return [token for token in user.tokens if token.revoked_at is None]


def revoke_api_tokens(user: User, prefix: str | None = None) -> int:
    """Revokes all of the user's live tokens, or the one starting with prefix; returns how many."""
    chosen = [t for t in active_api_tokens(user) if prefix is None or t.prefix.startswith(prefix)]
    if prefix is not None and len(chosen) != 1:
        raise AccountError(f"The prefix {prefix!r} matches {len(chosen)} live tokens of {user.email}; "
                           "give the prefix of exactly one (see `flask users list`).")
    now = datetime.now(timezone.utc)
    for token in chosen:
        token.revoked_at = now
    db.session.flush()
    return len(chosen)


# --- Logging in and throttling ---------------------------------------------------------------

def _window_start() -> datetime:
    seconds = current_app.config["LOGIN_FAILURE_WINDOW"]
    return datetime.now(timezone.utc) - timedelta(seconds=seconds)


def _last_success_at(email_key: str) -> datetime | None:
    return db.session.scalar(
        select(func.max(LoginAttempt.created_at))
        .where(LoginAttempt.email_key == email_key, LoginAttempt.is_success.is_(True)))


def _count_failures(*conditions) -> int:
    return db.session.scalar(
        select(func.count(LoginAttempt.id))
        .where(LoginAttempt.is_success.is_(False), *conditions)) or 0


def is_login_throttled(email: str, client_address: str) -> bool:
    """Whether this address may not try to log in to this account now.

    - An address with LOGIN_MAX_FAILURES recent failures (on any accounts) is refused: failures
      slow the address that makes them.
    - Failures on an account never lock its owner out: an address that has not failed on it may
      always try. Once an account has taken LOGIN_ACCOUNT_MAX_FAILURES failures since its last
      success (a guessing attack spread over many addresses), each address that has failed on it
      waits for the window to pass: every address then gets at most one guess per window.
    """
    email_key, address, since = normalise_email(email)[:320], client_address[:64], _window_start()
    config = current_app.config
    if _count_failures(LoginAttempt.client_address == address, LoginAttempt.created_at > since) \
            >= config["LOGIN_MAX_FAILURES"]:
        return True
    account = (LoginAttempt.email_key == email_key,
               LoginAttempt.created_at > max(since, _last_success_at(email_key) or since))
    if _count_failures(*account) < config["LOGIN_ACCOUNT_MAX_FAILURES"]:
        return False
    return _count_failures(*account, LoginAttempt.client_address == address) > 0


def prune_login_attempts() -> None:
    """Rows older than the window no longer count for anything."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at <= _window_start()))


def record_login_attempt(email: str, client_address: str, is_success: bool) -> None:
    prune_login_attempts()
    db.session.add(LoginAttempt(email_key=normalise_email(email)[:320],
                                client_address=client_address[:64], is_success=is_success))
    db.session.flush()


def attempt_login(email: str, password: str, client_address: str) -> LoginOutcome:
    """Checks the password unless throttled; records the attempt and the time of a success."""
    if is_login_throttled(email, client_address):
        return LoginOutcome(is_throttled=True)
    user = find_user(email)
    is_success = password_matches(user, password)
    record_login_attempt(email, client_address, is_success)
    if not is_success:
        return LoginOutcome()
    user.last_login_at = datetime.now(timezone.utc)
    db.session.flush()
    return LoginOutcome(user=user)
