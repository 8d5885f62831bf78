"""Configuration: embedded defaults, then the environment, then explicit overrides.

Read when the app is created, never at import time, so tests pass their own values.
"""
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

ENV_PREFIX = "CAUSERIES_"


def parse_list(raw: str) -> list[str]:
    """'a, b,c' -> ['a', 'b', 'c']."""
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_bool(raw: str) -> bool:
    """'1', 'true', 'yes', 'on' (any case) are true; anything else is false."""
    return raw.strip().lower() in ("1", "true", "yes", "on")


# name -> (default, parser). Every variable is documented in README.md.
SETTINGS = {
    "DATABASE_URL": (None, str),
    "SECRET_KEY": (None, str),
    "SEARCH_INDEX_DIR": (None, str),
    "SEARCH_WRITER": ("auto", str),  # auto | thread | off (then run `flask search worker`)
    # Seconds a search may take before it answers what it found so far (flagged as partial).
    "SEARCH_QUERY_SECONDS": (3.0, float),
    # Answers to repeated searches each process keeps until the index's next commit (0: none).
    "SEARCH_RESULT_CACHE_SIZE": (256, int),
    # This host's index in search_index_cursors (unset: "<hostname>:<SEARCH_INDEX_DIR>").
    "SEARCH_INDEX_NAME": (None, str),
    # Days the search log keeps entries some registered index has not applied yet (an index left
    # further behind rebuilds itself from the database).
    "SEARCH_LOG_RETENTION_DAYS": (7.0, float),
    "UPLOAD_DIR": (None, str),
    "SITE_NAME": ("Causeries", str),
    "SITE_URL": ("http://127.0.0.1:8000", str),
    "PAGE_SIZE": (20, int),
    "FEED_SIZE": (50, int),
    "SITEMAP_PAGE_SIZE": (10000, int),
    "PREFERRED_URL_SCHEME": ("http", str),
    # Accounts: unset SESSION_COOKIE_SECURE follows PREFERRED_URL_SCHEME == "https".
    "SESSION_COOKIE_SECURE": (None, parse_bool),
    "TRUSTED_PROXY_COUNT": (0, int),
    # Host names a request may carry (comma-separated); default: SITE_URL's host, localhost, 127.0.0.1.
    "TRUSTED_HOSTS": (None, parse_list),  # proxies whose X-Forwarded-For entry is trusted
    "LOGIN_MAX_FAILURES": (10, int),  # per client address...
    "LOGIN_FAILURE_WINDOW": (15 * 60, int),  # ...within this many seconds
    # Past this many failures on one account, its failing addresses wait (see accounts.operations).
    "LOGIN_ACCOUNT_MAX_FAILURES": (100, int),
    "PASSWORD_RESET_MAX_AGE": (3600, int),  # seconds a reset link stays valid
    "PASSWORD_RESET_MAX_PER_ACCOUNT": (3, int),  # reset mails to one account...
    "PASSWORD_RESET_MAX_PER_ADDRESS": (10, int),  # ...and requests from one client address...
    "PASSWORD_RESET_WINDOW": (3600, int),  # ...within this many seconds
    # Mail (Flask-Mail). Without MAIL_SERVER, mails are written to instance/mail/ and printed.
    "MAIL_SERVER": (None, str),
    "MAIL_PORT": (25, int),
    "MAIL_USERNAME": (None, str),
    "MAIL_PASSWORD": (None, str),
    "MAIL_USE_TLS": (False, parse_bool),
    "MAIL_USE_SSL": (False, parse_bool),
    "MAIL_DEFAULT_SENDER": (None, str),
    "MAIL_DIR": (None, str),  # where development mails are written (default instance/mail)
    # The address the accessibility statement (/accessibilite) gives for reports; default: the
    # address of MAIL_DEFAULT_SENDER, else accessibilite@ the host of SITE_URL.
    "ACCESSIBILITY_CONTACT_EMAIL": (None, str),
    # Statistics (webapp/stats/): anonymous counts, batched by one elected collector.
    "STATS_ENABLED": (True, parse_bool),
    "STATS_FLUSH_SECONDS": (2.0, float),  # the collector writes its batch this often
    "STATS_REPEAT_WINDOW": (1800, int),  # seconds within which a visitor's repeat hits count once
    "STATS_COLLECTOR": ("auto", str),  # auto | thread | inline (writes only on flush_counts)
    "STATS_SOCKET_DIR": (None, str),  # where the collector's socket and lock live (default: temp)
    "STATS_BUFFER_LIMIT": (100_000, int),  # hits a process keeps while no collector listens
    # The page cache for anonymous visitors (webapp/page_cache/): filesystem | off |
    # redis://host:port/db | rediss://... | memcached://host:port[,host:port]
    "PAGE_CACHE": ("filesystem", str),
    "PAGE_CACHE_SECONDS": (300, int),  # the longest a cached page is served
    "PAGE_CACHE_DIR": (None, str),  # the filesystem backend's folder (default instance/page-cache)
    "PAGE_CACHE_MAX_ENTRIES": (50_000, int),  # pages the filesystem backend keeps at most
    # Seconds between two reads, per process, of the generation in the database, which tells a host
    # of changes committed through the others (filesystem backend only; 0: never read, one host).
    "PAGE_CACHE_GENERATION_CHECK_SECONDS": (1.0, float),
    # Seconds a writer waits for another one's lock (SQLite busy timeout, PostgreSQL
    # lock_timeout); past it, a visitor gets 503 with Retry-After and nothing is saved.
    "DATABASE_LOCK_TIMEOUT": (10, int),
    # Imports run one at a time; the next one waits this long (seconds) before giving up.
    "IMPORT_WAIT_SECONDS": (600, int),
    # Spreadsheet imports in the workspace (webapp/importing/spreadsheet_*.py): larger uploads
    # are refused with 413; the elected worker applies confirmed sheets (off: `flask import spreadsheets`).
    "SPREADSHEET_MAX_BYTES": (10_000_000, int),
    "SPREADSHEET_WORKER": ("auto", str),  # auto | thread | off
    # Schedule imports from an address (webapp/importing/frab_fetch.py): the largest answer, the
    # seconds a fetch may take, and the networks it may reach beyond public addresses (CIDR,
    # comma-separated; default none: private, loopback and link-local addresses are refused).
    "SCHEDULE_FETCH_MAX_BYTES": (20_000_000, int),
    "SCHEDULE_FETCH_TIMEOUT": (20, int),
    "SCHEDULE_FETCH_ALLOWED_NETWORKS": ([], parse_list),
    # Slide decks (see webapp/slides/). Uploads over SLIDES_MAX_BYTES are refused with 413.
    "SLIDES_MAX_BYTES": (100_000_000, int),
    "SLIDES_MAX_UNZIPPED_BYTES": (500_000_000, int),  # PPTX/ODP/KEY expanded size
    "SLIDES_MAX_ZIP_RATIO": (100, int),  # expanded / compressed size of a zip
    "SLIDES_MAX_ZIP_ENTRIES": (10_000, int),
    "SLIDES_MAX_PAGES": (500, int),
    # Bulk slide uploads (webapp/slides/bulk_*.py): the largest ZIP (413 beyond), what it may
    # expand to in all, how many entries it may hold, and how long a batch waits for confirmation.
    "SLIDES_BULK_MAX_BYTES": (500_000_000, int),
    "SLIDES_BULK_MAX_UNZIPPED_BYTES": (1_000_000_000, int),
    "SLIDES_BULK_MAX_ENTRIES": (500, int),
    "SLIDES_BULK_STAGING_SECONDS": (6 * 3600, int),
    # What one speaker account may upload in all (413 beyond), and versions of one talk's slides
    # (422 beyond); organisers and admins have no quota.
    "SLIDES_SPEAKER_QUOTA_BYTES": (1_000_000_000, int),
    "SLIDES_SPEAKER_MAX_VERSIONS": (20, int),
    "SLIDES_PROCESS_TIMEOUT": (300, int),  # seconds for parsing one deck (wall clock and CPU)
    "SLIDES_PROCESS_MEMORY_MB": (1024, int),  # address space of the parsing process
    # Address space of LibreOffice converting a PPTX/ODP to PDF: it maps far more than it uses
    # (measured: a two-slide deck needs up to 470 MB, a 100 MB deck of ten 12-megapixel photos
    # up to 920 MB; the figure varies from run to run).
    "SLIDES_CONVERT_MEMORY_MB": (2048, int),
    "SLIDES_WORKER": ("auto", str),  # auto | thread | off (then run `flask slides worker`)
    # Seconds a slide worker holds the deck it claimed (webapp/slides/leases.py); it renews the
    # lease every third of it, and a deck whose worker died is resumed by another once it runs out.
    "SLIDES_LEASE_SECONDS": (60, int),
    # A folder of this host's own (not shared between hosts) for the lock that lets one slide
    # worker thread run per host; default the instance folder.
    "SLIDES_WORKER_LOCK_DIR": (None, str),
    "RELATED_WORKER": ("auto", str),  # auto | thread | off (then run `flask related worker`)
    # Transcripts and subtitles (webapp/transcripts/): the largest WebVTT/SRT file (413 beyond, while
    # streaming) and the most cues one may hold (422 beyond).
    "TRANSCRIPT_MAX_BYTES": (2_000_000, int),
    "TRANSCRIPT_MAX_CUES": (20_000, int),
    # Share cards of talks (webapp/sharing/): drawn once per content, kept here (default instance/share-cards).
    "SHARE_CARD_DIR": (None, str),
    # Speaker profiles: invitation links, and profile photos (decoded and re-encoded with Pillow).
    "INVITATION_MAX_AGE_DAYS": (14, int),
    "PHOTO_MAX_BYTES": (10_000_000, int),  # larger photo uploads are refused with 413
    "PHOTO_MAX_PIXELS": (40_000_000, int),  # width x height; larger images are refused with 422
    # PNG and WebP are decoded whole (JPEG at a reduced scale): their own, lower limit.
    "PHOTO_MAX_DECODED_PIXELS": (16_000_000, int),
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


def engine_options(uri: str, lock_timeout: int) -> dict:
    """How long a writer waits for another writer's lock, on either database."""
    if uri.startswith("sqlite"):
        connect_args = {"timeout": lock_timeout}
    else:
        connect_args = {"options": f"-c lock_timeout={lock_timeout * 1000}"}
    return {"pool_pre_ping": True, "connect_args": connect_args}


def _secure_cookies(values: dict) -> None:
    """Cookies are sent over HTTPS only when the site is served over HTTPS (or when told so)."""
    if values.get("SESSION_COOKIE_SECURE") is None:
        values["SESSION_COOKIE_SECURE"] = values.get("PREFERRED_URL_SCHEME") == "https"
    values.setdefault("REMEMBER_COOKIE_SECURE", values["SESSION_COOKIE_SECURE"])
    values.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    values.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")


LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def trusted_hosts(site_url: str, configured: list[str] | None) -> list[str]:
    """TRUSTED_HOSTS as configured, else SITE_URL's host and the loopback names."""
    if configured:
        return configured
    return [urlsplit(site_url).hostname or "localhost", *LOOPBACK_HOSTS]


UPLOAD_FORM_OVERHEAD_BYTES = 1024 * 1024  # multipart boundaries and the form's other fields


def _limit_request_size(values: dict) -> None:
    """Werkzeug refuses bigger request bodies with 413 while reading them."""
    values.setdefault("MAX_CONTENT_LENGTH", values["SLIDES_MAX_BYTES"] + UPLOAD_FORM_OVERHEAD_BYTES)


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
    values["SEARCH_INDEX_NAME"] = values["SEARCH_INDEX_NAME"] or f"{socket.gethostname()}:{values['SEARCH_INDEX_DIR']}"
    values["UPLOAD_DIR"] = values["UPLOAD_DIR"] or str(instance / "uploads")
    values["PAGE_CACHE_DIR"] = values["PAGE_CACHE_DIR"] or str(instance / "page-cache")
    values["SHARE_CARD_DIR"] = values["SHARE_CARD_DIR"] or str(instance / "share-cards")
    values.setdefault("BABEL_DEFAULT_LOCALE", "fr")
    values.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Paris")
    values.setdefault("LANGUAGES", ("fr", "en"))
    values.setdefault("SESSION_COOKIE_HTTPONLY", True)
    values.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    _secure_cookies(values)
    _limit_request_size(values)
    values["TRUSTED_HOSTS"] = trusted_hosts(values["SITE_URL"], values.get("TRUSTED_HOSTS"))
    values.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(
        values["SQLALCHEMY_DATABASE_URI"], values["DATABASE_LOCK_TIMEOUT"]))
    return values
