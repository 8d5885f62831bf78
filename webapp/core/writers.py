"""Concurrent writers: two of them creating the same speaker, tag, series or event both succeed.

SQLite has one writer at a time. `hold_write_lock()` takes that lock now (an UPDATE that changes
no row starts the write transaction), so the lookups that follow see the latest commit and no
other writer can commit until ours does: a find-then-insert can no longer race.
PostgreSQL lets writers run side by side. `insert_or_take()` inserts inside a SAVEPOINT; when a
unique key says another transaction got there first (it waits for that one to end), it rolls
back to the savepoint and takes the row the winner committed, or builds again (a fresh slug).
Long writers (an import) take `exclusive_writer()` first: imports wait for each other instead
of failing, and a conflict that is left is named by `describe_conflict()`, never a traceback.
"""
import time
import zlib
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

import click
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from webapp.extensions import db

Row = TypeVar("Row")
BUILD_ATTEMPTS = 3
LOCK_POLL_SECONDS = 0.5
# What each unique key protects, to name the record of a conflict.
UNIQUE_KEYS = {"speakers": "speaker", "tags": "tag", "events": "event", "series": "series",
               "talks": "talk", "speaker_aliases": "speaker alias"}


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def hold_write_lock() -> None:
    """On SQLite, start the write transaction now (waiting up to the busy timeout)."""
    if dialect_name() == "sqlite":
        db.session.execute(text("UPDATE tags SET id = id WHERE 0 = 1"))


def insert_or_take(find: Callable[[], Row | None], build: Callable[[], Row]) -> Row:
    """find()'s row, or the one build() adds (and flushes), whoever else is creating it now."""
    hold_write_lock()
    for _attempt in range(BUILD_ATTEMPTS - 1):
        found = find()
        if found is not None:
            return found
        with suppress(IntegrityError):
            return _build_in_savepoint(build)
    return find() or _build_in_savepoint(build)


def _build_in_savepoint(build: Callable[[], Row]) -> Row:
    with db.session.begin_nested():
        row = build()
        db.session.flush()
    return row


def describe_conflict(error: IntegrityError) -> str:
    """'a speaker with slug "ada"', or as close as the database tells."""
    detail = getattr(getattr(error.orig, "diag", None), "message_detail", None) or str(error.orig)
    table = next((t for t in UNIQUE_KEYS if f"{t}." in detail or f"_{t}_" in str(error.orig)),
                 None)
    record = UNIQUE_KEYS.get(table, "record")
    return f"a {record} ({detail.strip()})"


def exclusive_writer(name: str, wait_seconds: float) -> None:
    """Wait, up to wait_seconds, until no other transaction holds the writer lock `name`.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the database's write lock."""
    deadline = time.monotonic() + wait_seconds
    told = False
    while not try_writer_lock(name):
        if time.monotonic() >= deadline:
            raise click.ClickException(
                f"Another {name} kept the database busy for {wait_seconds:.0f} seconds; "
                "nothing was changed. Run the command again.")
        if not told:
            click.echo(f"Waiting for another {name} to finish…", err=True)
            told = True
        time.sleep(LOCK_POLL_SECONDS)


def try_writer_lock(name: str) -> bool:
    """Take the writer lock `name` for this transaction if no other transaction holds it; False if
    one does (on SQLite, the session is rolled back then)."""
    if dialect_name() == "postgresql":
        key = zlib.crc32(name.encode())
        return bool(db.session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                      {"key": key}))
    try:
        hold_write_lock()
    except OperationalError as error:
        if "locked" not in str(error.orig):
            raise
        db.session.rollback()
        return False
    return True
