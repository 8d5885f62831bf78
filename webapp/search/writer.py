"""The single index writer: an elected loop (webapp/core/background.py) that drains the search queue.

Every gunicorn worker and `flask search worker` run an IndexWriter; only the one holding the
election lock (a file in the index directory) drains, so the index has one writer at a time.

Before draining, the elected writer rebuilds the index if its live generation was built with another
schema (a deployment changed the fields or the analysis): searches keep answering from the old
generation meanwhile, and the changes queued meanwhile are drained into the new one after the swap.
With nothing left to drain, it merges the segments of the index if bulk drains left it fragmented
(each drain batch of a bulk import adds a segment, and each segment slows every search).
Every PRUNE_EVERY_SECONDS it prunes the search log of what every registered index has applied, or
what is older than SEARCH_LOG_RETENTION_DAYS (log_pruning.py); each host's writer may do it.
"""
import logging
import time
from pathlib import Path

from flask import Flask

from search_index import IndexBusy
from webapp.core.background import START_LOCK, BackgroundLoop, ElectedLoop, FileElection
from webapp.extensions import db
from webapp.search.indexing import drain_queue, rebuild_if_stale, search_state, writer_mode
from webapp.search.log_pruning import prune_log

ELECTION_LOCK_FILE = "webapp-writer.lock"
POLL_SECONDS = 0.3
ELECTION_RETRY_SECONDS = 2.0
ERROR_BACKOFF_SECONDS = 2.0
REBUILD_RETRY_SECONDS = 300.0
PRUNE_EVERY_SECONDS = 300.0
# Segments are merged once nothing was drained for this long: a bulk import that comes in several
# commits is merged once, and not while its end is being searched and checked.
COMPACT_IDLE_SECONDS = 30.0
# A rebuild in the writer's thread runs in this process: worker processes forked from a web process
# that runs threads are not safe, and would take the cores the requests need meanwhile.
BACKGROUND_REBUILD_PROCS = 1

log = logging.getLogger(__name__)


def writer_election(index_dir: Path) -> FileElection:
    return FileElection(index_dir, ELECTION_LOCK_FILE)


class IndexWriter(ElectedLoop):
    """The drain loop of the search queue (after a rebuild, when the index's schema is outdated;
    then a merge of its segments, when the queue is drained and the index fragmented)."""

    thread_name = "search-index-writer"

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS,
                 election_retry_seconds: float = ELECTION_RETRY_SECONDS,
                 compact_idle_seconds: float = COMPACT_IDLE_SECONDS):
        super().__init__(app, writer_election(search_state(app).index_dir), poll_seconds,
                         election_retry_seconds)
        self.compact_idle_seconds = compact_idle_seconds
        self._rebuild_retry_at = 0.0
        self._compact_at = time.monotonic() + compact_idle_seconds  # pushed back by every drain
        self._prune_at = time.monotonic()

    def work_once(self) -> int:
        done = self.rebuild_if_stale_once() + self.drain_once()
        self.prune_once()
        if done:
            self._compact_at = time.monotonic() + self.compact_idle_seconds
            return done
        return self.compact_once()

    def rebuild_if_stale_once(self) -> int:
        """1 if the index was rebuilt for a schema change, else 0. A failed rebuild is logged and
        tried again after REBUILD_RETRY_SECONDS; the queue is drained into the old generation meanwhile."""
        index = search_state(self.app).index
        if time.monotonic() < self._rebuild_retry_at or not index.schema_state().is_stale:
            return 0  # the usual case, read from two small files at every round
        with self.app.app_context():
            try:
                return int(rebuild_if_stale(index, procs=BACKGROUND_REBUILD_PROCS))
            except Exception:
                log.exception("rebuilding the search index for its new schema failed; retrying later")
                self._rebuild_retry_at = time.monotonic() + REBUILD_RETRY_SECONDS
            finally:
                db.session.rollback()  # read-only: end the snapshot transaction
                db.session.remove()
        return 0

    def compact_once(self) -> int:
        """Nothing drained for compact_idle_seconds: 1 if the index was fragmented and its segments
        were merged, else 0. Busy (another process writes) or failed: tried again later."""
        index = search_state(self.app).index
        if time.monotonic() < self._compact_at or not index.is_fragmented():
            return 0  # the usual case, read from this process's open reader
        try:
            return int(index.compact())
        except IndexBusy:
            return 0
        except Exception:
            log.exception("merging the segments of the search index failed; retrying later")
            self._compact_at = time.monotonic() + REBUILD_RETRY_SECONDS
        return 0

    def prune_once(self) -> int:
        """Every PRUNE_EVERY_SECONDS: the log entries pruned (an edge: it commits); errors are logged."""
        if time.monotonic() < self._prune_at:
            return 0
        self._prune_at = time.monotonic() + PRUNE_EVERY_SECONDS
        with self.app.app_context():
            try:
                pruned = prune_log(self.app.config["SEARCH_LOG_RETENTION_DAYS"])
                db.session.commit()
                return pruned
            except Exception:
                db.session.rollback()
                log.exception("pruning the search log failed; retrying later")
            finally:
                db.session.remove()
        return 0

    def drain_once(self) -> int:
        """Drain what is queued; errors are logged and retried later, never raised."""
        with self.app.app_context():
            try:
                return drain_queue(search_state(self.app).index)
            except IndexBusy:
                log.info("search index busy; the queue will be drained on the next round")
            except Exception:
                log.exception("search queue drain failed; retrying")
            finally:
                db.session.remove()
        self._stopping.wait(ERROR_BACKOFF_SECONDS)
        return 0


def is_writer_elected(app: Flask) -> bool:
    """Whether some process holds the writer election right now (a writer is running)."""
    election = writer_election(search_state(app).index_dir)
    if not election.try_acquire():
        return True
    election.release()
    return False


def ensure_index_writer(app: Flask) -> IndexWriter:
    """Start this process's writer thread once."""
    state = search_state(app)
    with START_LOCK:
        state.writer = IndexWriter.running(state.writer, app)
    return state.writer


def stop_index_writer(app: Flask) -> None:
    if (writer := search_state(app).writer) is not None:
        writer.stop_if_ours()


INDEX_WRITER_LOOP = BackgroundLoop(
    name="search-index-writer",
    is_on=lambda app: writer_mode(app) == "thread",
    ensure=ensure_index_writer,
    stop=stop_index_writer,
)
