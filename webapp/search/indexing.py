"""The search index follows the database: outbox hooks, drain, rebuild, check and status.

Writes reach the index only through the search log (table search_queue, written by
webapp/search/outbox.py in the same transaction as each change). Each index, one per host, follows
the log from its own cursor, the id of the last entry it applied, committed with its segments
(search_index/log_cursor.py): entries are never deleted when applied, so every host's index sees
every change. One writer per host drains (webapp/search/writer.py, elected by webapp/core/background.py);
every drain batch and every rebuild holds the drain lock, a flock on a file in the index directory,
so two processes never interleave "read log, build documents, apply" on one index and an older
document can never overwrite a newer one.

A drain batch takes thousands of entries after the cursor (a bulk import's log goes in a few
batches): their documents are read a few hundred rows at a time and applied in one index commit
that moves the cursor past them. Then the database copy of the cursor (index_cursors.py) is updated:
a crash in between loses nothing and repeats nothing, as the index's own cursor is the one read.
A rebuild reads the newest log id and the documents in one snapshot (REPEATABLE READ on
PostgreSQL) and records that id as the new generation's cursor: the entries after it are drained
into the new generation. An index whose cursor fell below the pruned part of the log
(log_pruning.py) rebuilds itself the same way.

The index follows schema changes by itself: a live generation built with another schema (search_index's
schema fingerprint) is rebuilt by the writer (rebuild_if_stale), the same way `flask search rebuild` does.
"""
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app

from search_index import RESULT_CACHE_SIZE, IndexBusy, SchemaState, SearchIndex
from webapp.core.background import background_mode, file_lock
from webapp.core.signals import search_index_changed
from webapp.extensions import db
from webapp.search.documents import build_documents, count_public_documents, iter_public_documents
from webapp.search.index_cursors import IndexIdentity, record_cursor, registered_cursors
from webapp.search.log_pruning import pruned_through
from webapp.search.queue_rows import entries_after, lag_after, newest_entry_id

EXTENSION_KEY = "causeries_search"
log = logging.getLogger(__name__)
DRAIN_BATCH = 5000  # queue entries per index commit: a bulk import is drained in a few large commits
DRAIN_LOCK_FILE = "webapp-drain.lock"
BUSY_RETRY_SECONDS = 0.2
BUSY_GIVE_UP_SECONDS = 60


class SearchState:
    """Per-application search objects; the SearchIndex is re-created in each forked process and thread."""

    def __init__(self, index_dir: str, query_seconds: float, result_cache_size: int = RESULT_CACHE_SIZE,
                 index_name: str | None = None):
        self.index_dir = Path(index_dir)
        self.identity = IndexIdentity(name=index_name or f"{socket.gethostname()}:{index_dir}",  # as config.py
                                      host=socket.gethostname(), index_dir=str(index_dir))
        self.query_seconds = query_seconds
        self.result_cache_size = result_cache_size
        self.writer = None
        # One SearchIndex per thread of each process: Whoosh's readers seek and read shared file
        # handles, so the request thread and the background loops (the index writer, the related
        # talks' worker) must never read through the same one at once.
        self._local = threading.local()

    @property
    def index(self) -> SearchIndex:
        local = self._local
        if getattr(local, "index", None) is None or local.pid != os.getpid():
            local.index = SearchIndex(str(self.index_dir), query_seconds=self.query_seconds,
                                      result_cache_size=self.result_cache_size)
            local.pid = os.getpid()
        return local.index


    def reopen_index(self) -> SearchIndex:
        """Drop this thread's reader and open the index afresh (after an engine failure)."""
        self._local.index = None
        return self.index


def search_state(app: Flask | None = None) -> SearchState:
    return (app or current_app).extensions[EXTENSION_KEY]


def get_search_index() -> SearchIndex:
    """This process's SearchIndex (one reused searcher per process, refreshed by the engine)."""
    return search_state().index


def read_index(operation):
    """operation(index), retried once on a freshly opened index if the reader fails: a broken
    long-lived reader must not turn every later search of this process into an error."""
    try:
        return operation(get_search_index())
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        log.exception("search index reader failed; reopening the index")
        return operation(search_state().reopen_index())


def drain_lock():
    return file_lock(search_state().index_dir / DRAIN_LOCK_FILE)


# --- drain ------------------------------------------------------------------------------------

def _apply_until_free(index: SearchIndex, upserts: list[dict], deletes: list[str], log_cursor: int) -> None:
    """IndexBusy means another live process writes right now: wait, never show it to anyone."""
    give_up_at = time.monotonic() + BUSY_GIVE_UP_SECONDS
    while True:
        try:
            index.apply(upserts=upserts, deletes=deletes, log_cursor=log_cursor)
            return
        except IndexBusy:
            if time.monotonic() > give_up_at:
                raise
            time.sleep(BUSY_RETRY_SECONDS)


def index_cursor(index: SearchIndex) -> int:
    """The last log id this index applied (0: none; an index built before cursors starts there)."""
    return index.log_cursor() or 0


def process_queue_batch(index: SearchIndex, limit: int = DRAIN_BATCH) -> int | None:
    """Index the documents of the `limit` first log entries after the index's cursor, in one index
    commit that moves the cursor past them, then record the cursor in the database. Returns the
    entries applied; None if the index is left behind (the entries it needs were pruned). Flushes."""
    recorded = index.log_cursor()
    cursor = recorded or 0
    rows = entries_after(cursor, limit)
    if cursor < pruned_through():  # read after the entries (log_pruning.py)
        return None
    if not rows:
        if recorded is not None:  # repairs the copy after a crash between the two commits
            record_cursor(search_state().identity, recorded)
        return 0
    upserts, deletes = build_documents({row.doc_id for row in rows})  # read after the entries
    _apply_until_free(index, upserts, deletes, rows[-1].id)
    search_index_changed.send(current_app._get_current_object())
    record_cursor(search_state().identity, rows[-1].id)
    return len(rows)


def drain_queue(index: SearchIndex | None = None, limit: int = DRAIN_BATCH) -> int:
    """Apply the log after the index's cursor, one batch at a time: an index commit (with its cursor),
    then the database commit of the cursor's copy (an edge: it commits). Returns the entries applied.
    An index left behind the pruned log is rebuilt first."""
    index, drained = index or get_search_index(), 0
    while True:
        try:
            with drain_lock():
                batch = process_queue_batch(index, limit)
                if batch is None:
                    log.warning("the search index is behind the pruned log: rebuilding it from the database")
                    _rebuild(index, procs=1)  # in this process: the writer may run in a web process's thread
                    continue
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        drained += batch
        if batch < limit:
            return drained


# --- rebuild, check, status -------------------------------------------------------------------

def rebuild_index(index: SearchIndex | None = None, progress=None, procs: int | None = None) -> int:
    """Build a new generation from the database (streamed) and swap it in; returns its size.

    Holds the drain lock: changes committed meanwhile stay in the log, after the new cursor.
    """
    index = index or get_search_index()
    with drain_lock():
        return _rebuild(index, progress, procs)


def _rebuild(index: SearchIndex, progress=None, procs: int | None = None) -> int:
    """rebuild_index() without taking the drain lock: the caller holds it. An edge: it commits."""
    _begin_snapshot()
    try:
        # The snapshot's documents include every entry up to the newest one (and those pruned).
        covered = max(newest_entry_id(), pruned_through())
        total = count_public_documents()
        index.rebuild(iter_public_documents(), total=total, progress=progress, procs=procs, log_cursor=covered)
    finally:
        db.session.rollback()  # end the long reading transaction: on SQLite its snapshot cannot write
    search_index_changed.send(current_app._get_current_object())
    _commit_cursor_copy(covered)
    return total


def _begin_snapshot() -> None:
    """A new transaction whose reads all see one snapshot (REPEATABLE READ on PostgreSQL; SQLite
    serialises writers and the log id is read first, so later reads include what it covers)."""
    db.session.rollback()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _commit_cursor_copy(cursor: int) -> None:
    try:
        record_cursor(search_state().identity, cursor)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def rebuild_if_stale(index: SearchIndex, procs: int | None = None) -> bool:
    """Rebuild the index as rebuild_index() does if its live generation was built with another
    schema; True if it did. The state is read again under the drain lock: a rebuild that held it
    meanwhile (`flask search rebuild`) may have brought the index up to date already."""
    if not index.schema_state().is_stale:
        return False
    with drain_lock():
        state = index.schema_state()
        if not state.is_stale:
            return False
        log.warning("rebuilding the search index from the database for its schema: %s", state.reason)
        total = _rebuild(index, procs=procs)
    log.info("search index rebuilt with the current schema: %d documents", total)
    return True


@dataclass
class IndexCheck:
    missing: list[str] = field(default_factory=list)  # public, not in the index
    stale: list[str] = field(default_factory=list)    # indexed with another version
    extra: list[str] = field(default_factory=list)    # in the index, not public (or gone)
    is_schema_stale: bool = False  # the live generation was built with another schema

    @property
    def is_consistent(self) -> bool:
        return not (self.missing or self.stale or self.extra or self.is_schema_stale)


def _indexed_versions(index: SearchIndex) -> dict[str, str]:
    return index.document_versions() if index.stats()["doc_count"] else {}


def check_index() -> IndexCheck:
    indexed = read_index(_indexed_versions)
    expected = {document["id"]: document["version"] for document in iter_public_documents()}
    both = expected.keys() & indexed.keys()
    return IndexCheck(
        missing=sorted(expected.keys() - indexed.keys()),
        stale=sorted(d for d in both if expected[d] != indexed[d]),
        extra=sorted(indexed.keys() - expected.keys()),
        is_schema_stale=get_search_index().schema_state().is_stale,
    )


@dataclass
class IndexStatus:
    queue_length: int  # log entries this index has not applied yet
    oldest_queued_at: datetime | None
    doc_count: int
    last_modified: datetime | None
    generation: str
    schema: SchemaState
    segments: int
    is_fragmented: bool  # the writer merges its segments once the queue is drained
    log_cursor: int = 0


def index_status() -> IndexStatus:
    stats = read_index(lambda index: index.stats())
    cursor = index_cursor(get_search_index())
    length, oldest = lag_after(cursor)
    return IndexStatus(queue_length=length, oldest_queued_at=oldest,
                       doc_count=stats["doc_count"], last_modified=stats["last_modified"],
                       generation=str(stats.get("generation", "")),
                       schema=get_search_index().schema_state(), segments=stats["segments"],
                       is_fragmented=read_index(lambda index: index.is_fragmented()), log_cursor=cursor)


@dataclass
class IndexLag:
    """A registered index (search_index_cursors) and how far behind the log it is."""

    name: str
    host: str
    index_dir: str
    log_cursor: int
    behind: int  # log entries after its cursor
    oldest_unapplied_at: datetime | None


def index_lags() -> list[IndexLag]:
    """Every registered index, its cursor (the database copy) and its lag."""
    return [IndexLag(row.name, row.host, row.index_dir, row.log_cursor, *lag_after(row.log_cursor))
            for row in registered_cursors()]


def queue_length() -> int:
    """Log entries this host's index has not applied yet (after its own cursor)."""
    return lag_after(index_cursor(get_search_index()))[0]


# --- wiring -----------------------------------------------------------------------------------

def writer_mode(app: Flask) -> str:
    """"thread": web processes elect a writer among themselves; "off": a separate
    `flask search worker` drains. "auto" is "thread", except under TESTING."""
    return background_mode(app.config, "SEARCH_WRITER", ("thread", "off"), under_testing="off")
