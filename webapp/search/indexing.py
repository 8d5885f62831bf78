"""The search index follows the database: outbox hooks, drain, rebuild, check and status.

Writes reach the index only through the search_queue outbox (webapp/search/outbox.py).
One writer drains it (webapp/search/writer.py, elected by webapp/core/background.py); every drain batch and every
rebuild holds the drain lock, a flock on a file in the index directory, so two processes never
interleave "read queue, build documents, apply, delete queue rows" and an older document can never
overwrite a newer one. A rebuild holds the same lock: the queue keeps collecting meanwhile and the
writer drains it into the new generation right after the swap, so nothing is lost.

A drain batch takes thousands of entries (a bulk import's queue goes in a few batches): their
documents are read a few hundred rows at a time, applied in one index commit (written as a rebuild
writes them), then the entries are deleted in one database commit. A rebuild deletes the entries
queued before it read the database (its generation includes their changes) and keeps the later
ones (queue_rows.py says which entries a read covers).

The index follows schema changes by itself: a live generation built with another schema (search_index's
schema fingerprint) is rebuilt by the writer (rebuild_if_stale), the same way `flask search rebuild` does.
"""
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select

from search_index import RESULT_CACHE_SIZE, IndexBusy, SchemaState, SearchIndex
from webapp.core.background import background_mode, file_lock
from webapp.core.signals import search_index_changed
from webapp.extensions import db
from webapp.models import SearchQueueEntry
from webapp.search.documents import build_documents, count_public_documents, iter_public_documents
from webapp.search.queue_rows import delete_entries, later_entries_of, oldest_entries, queued_entry_ids

EXTENSION_KEY = "causeries_search"
log = logging.getLogger(__name__)
DRAIN_BATCH = 5000  # queue entries per index commit: a bulk import is drained in a few large commits
DRAIN_LOCK_FILE = "webapp-drain.lock"
BUSY_RETRY_SECONDS = 0.2
BUSY_GIVE_UP_SECONDS = 60


class SearchState:
    """Per-application search objects; the SearchIndex is re-created in each forked process and thread."""

    def __init__(self, index_dir: str, query_seconds: float, result_cache_size: int = RESULT_CACHE_SIZE):
        self.index_dir = Path(index_dir)
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

def _apply_until_free(index: SearchIndex, upserts: list[dict], deletes: list[str]) -> None:
    """IndexBusy means another live process writes right now: wait, never show it to anyone."""
    give_up_at = time.monotonic() + BUSY_GIVE_UP_SECONDS
    while True:
        try:
            index.apply(upserts=upserts, deletes=deletes)
            return
        except IndexBusy:
            if time.monotonic() > give_up_at:
                raise
            time.sleep(BUSY_RETRY_SECONDS)


def process_queue_batch(index: SearchIndex, limit: int = DRAIN_BATCH) -> tuple[int, int]:
    """Index the documents of the `limit` oldest queue entries in one index commit, then delete
    those entries and the later ones of the same documents (queue_rows.py: covered too). Returns
    (entries in the batch, entries deleted). Flushes."""
    rows = oldest_entries(limit)
    if not rows:
        return 0, 0
    doc_ids = {row.doc_id for row in rows}
    covered = [row.id for row in rows] + later_entries_of(doc_ids, rows[-1].id)
    upserts, deletes = build_documents(doc_ids)  # read after the entries: they include their changes
    _apply_until_free(index, upserts, deletes)
    search_index_changed.send(current_app._get_current_object())
    return len(rows), delete_entries(covered)


def drain_queue(index: SearchIndex | None = None, limit: int = DRAIN_BATCH) -> int:
    """Drain the whole queue, one batch at a time: an index commit, then the database commit that
    deletes the batch's entries (an edge: it commits). Returns the entries deleted.

    The entries are deleted after the index commit: a crash in between indexes them twice, which
    is harmless as apply() is idempotent.
    """
    index, drained = index or get_search_index(), 0
    while True:
        try:
            with drain_lock():
                batch, deleted = process_queue_batch(index, limit)
                db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        drained += deleted
        if batch < limit:
            return drained


# --- rebuild, check, status -------------------------------------------------------------------

def rebuild_index(index: SearchIndex | None = None, progress=None, procs: int | None = None) -> int:
    """Build a new generation from the database (streamed) and swap it in; returns its size.
    Deletes the queue entries the new generation covers (an edge: it commits).

    Holds the drain lock: changes committed meanwhile stay queued and are drained afterwards.
    """
    index = index or get_search_index()
    with drain_lock():
        return _rebuild(index, progress, procs)


def _rebuild(index: SearchIndex, progress=None, procs: int | None = None) -> int:
    """rebuild_index() without taking the drain lock: the caller holds it."""
    covered = queued_entry_ids()  # read before any document: the new generation includes their changes
    total = count_public_documents()
    index.rebuild(iter_public_documents(), total=total, progress=progress, procs=procs)
    search_index_changed.send(current_app._get_current_object())
    _forget_covered_entries(covered)
    return total


def _forget_covered_entries(covered) -> None:
    """Delete the queue entries a new generation covers; those queued since stay (an edge: it commits)."""
    db.session.rollback()  # end the long reading transaction first: on SQLite its snapshot cannot write
    try:
        deleted = delete_entries(covered)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    if deleted:
        log.info("removed %d queue entries the rebuilt search index covers", deleted)


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
    queue_length: int
    oldest_queued_at: datetime | None
    doc_count: int
    last_modified: datetime | None
    generation: str
    schema: SchemaState
    segments: int
    is_fragmented: bool  # the writer merges its segments once the queue is drained


def index_status() -> IndexStatus:
    stats = read_index(lambda index: index.stats())
    length, oldest = db.session.execute(
        select(func.count(SearchQueueEntry.id), func.min(SearchQueueEntry.created_at))
    ).one()
    return IndexStatus(queue_length=length, oldest_queued_at=oldest,
                       doc_count=stats["doc_count"], last_modified=stats["last_modified"],
                       generation=str(stats.get("generation", "")),
                       schema=get_search_index().schema_state(), segments=stats["segments"],
                       is_fragmented=read_index(lambda index: index.is_fragmented()))


def queue_length() -> int:
    return db.session.scalar(select(func.count(SearchQueueEntry.id)))


# --- wiring -----------------------------------------------------------------------------------

def writer_mode(app: Flask) -> str:
    """"thread": web processes elect a writer among themselves; "off": a separate
    `flask search worker` drains. "auto" is "thread", except under TESTING."""
    return background_mode(app.config, "SEARCH_WRITER", ("thread", "off"), under_testing="off")
