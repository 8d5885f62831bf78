"""The content generation in the database, for hosts that share no cache server.

With the embedded filesystem backend each host keeps its pages and its generation in a folder of
its own: a change committed through host A bumps A's generation, which host B never reads. So
every bump also writes its token in the content_generation table (one row, CONTENT_GENERATION_ID),
in a short transaction of its own after the commit that changed public content (never inside it:
a rollback bumps nothing), and each process reads that row at most once every
PAGE_CACHE_GENERATION_CHECK_SECONDS while it looks pages up. A page is current when it was
rendered at the host's own generation *and* at the database's (store.py joins the two tokens), so a
change made through any host makes every host's pages stale within that many seconds.

The hit path stays cheap: one primary-key read of a one-row table, at most once a second per
worker, outside any session (Core statements on the app's engine, no ORM events). With Redis or
Memcached every host already reads one generation, so the row is written but not read
(open_store passes no checker); PAGE_CACHE_GENERATION_CHECK_SECONDS=0 does the same on one host.
"""
import secrets
import threading
import time
from datetime import datetime, timezone

from flask import Flask
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from webapp.extensions import db
from webapp.models.content_generation import CONTENT_GENERATION_ID, ContentGeneration

NO_TOKEN = "-"  # the database holds no generation yet (no public commit since the table was made)


class DatabaseGeneration:
    """This process's view of the database's generation: (token, changed_at as epoch seconds),
    read again once `check_seconds` have passed (0: read on every lookup)."""

    def __init__(self, app: Flask, check_seconds: float):
        self.app, self.check_seconds = app, check_seconds
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._value: tuple[str, float] = (NO_TOKEN, 0.0)
        self._checked_at = float("-inf")

    @property
    def engine(self) -> Engine:
        """The app's engine, found once (the WSGI layer runs outside any app context)."""
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine

    def current(self) -> tuple[str, float]:
        """The database's generation as last read, read again when the check is due."""
        now = time.monotonic()
        if now - self._checked_at < self.check_seconds:
            return self._value
        value = read_database_generation(self.engine)
        with self._lock:
            self._value, self._checked_at = value, now
        return value

    def write_new(self) -> tuple[str, float]:
        """Draw and write a new token (own transaction); this process sees it at once."""
        value = (secrets.token_hex(8), time.time())
        write_database_generation(self.engine, *value)
        with self._lock:
            self._value = value
        return value


def read_database_generation(engine: Engine) -> tuple[str, float]:
    with engine.connect() as connection:
        row = connection.execute(
            select(ContentGeneration.token, ContentGeneration.changed_at)
            .where(ContentGeneration.id == CONTENT_GENERATION_ID)).first()
    if row is None:
        return (NO_TOKEN, 0.0)
    changed_at = row.changed_at if row.changed_at.tzinfo else row.changed_at.replace(tzinfo=timezone.utc)
    return (row.token, changed_at.timestamp())


def write_database_generation(engine: Engine, token: str, changed_at: float) -> None:
    """Upsert the one row in a transaction of its own (two hosts bumping at once each write a token
    nobody has seen; the last one stays, and both made every earlier page stale)."""
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    values = {"token": token, "changed_at": datetime.fromtimestamp(changed_at, timezone.utc)}
    statement = insert(ContentGeneration).values(id=CONTENT_GENERATION_ID, **values)
    with engine.begin() as connection:
        connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_=values))
