"""Configuration: embedded defaults, then the environment, then explicit overrides.

Read when the app is created, never at import time, so tests pass their own values.
"""
import os
from pathlib import Path

ENV_PREFIX = "CAUSERIES_"

# name -> (default, parser). Every variable is documented in README.md.
SETTINGS = {
    "DATABASE_URL": (None, str),
    "SECRET_KEY": (None, str),
    "SEARCH_INDEX_DIR": (None, str),
    "SEARCH_WRITER": ("auto", str),  # auto | thread | off (then run `flask search worker`)
    "UPLOAD_DIR": (None, str),
    "SITE_NAME": ("Causeries", str),
    "SITE_URL": ("http://127.0.0.1:8000", str),
    "PAGE_SIZE": (20, int),
    "FEED_SIZE": (50, int),
    "SITEMAP_PAGE_SIZE": (10000, int),
    "PREFERRED_URL_SCHEME": ("http", str),
}


def _from_environment() -> dict:
    values = {}
    for name, (default, parse) in SETTINGS.items():
        raw = os.environ.get(name, os.environ.get(ENV_PREFIX + name))
        values[name] = parse(raw) if raw not in (None, "") else default
    return values


def _secret_key(instance_path: Path, configured: str | None) -> str | None:
    """The key comes from SECRET_KEY, or from instance/secret_key written by `make run`."""
    if configured:
        return configured
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    return None


def database_uri(url: str) -> str:
    """postgres:// and postgresql:// URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    instance = Path(instance_path)
    values = _from_environment()
    values.update(overrides or {})
    values["SECRET_KEY"] = _secret_key(instance, values.get("SECRET_KEY"))
    if not values.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set: export SECRET_KEY or run `make run`, "
            "which writes instance/secret_key once."
        )
    values["SQLALCHEMY_DATABASE_URI"] = database_uri(
        values.pop("DATABASE_URL") or f"sqlite:///{instance / 'causeries.db'}"
    )
    values["SEARCH_INDEX_DIR"] = values["SEARCH_INDEX_DIR"] or str(instance / "search-index")
    values["UPLOAD_DIR"] = values["UPLOAD_DIR"] or str(instance / "uploads")
    values.setdefault("BABEL_DEFAULT_LOCALE", "fr")
    values.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Paris")
    values.setdefault("LANGUAGES", ("fr", "en"))
    values.setdefault("SESSION_COOKIE_HTTPONLY", True)
    values.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    values.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    return values
