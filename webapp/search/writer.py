"""The single index writer: an elected loop (webapp/core/background.py) that drains the search queue.

Every gunicorn worker and `flask search worker` run an IndexWriter; only the one holding the
election lock (a file in the index directory) drains, so the index has one writer at a time.
"""
import logging
from pathlib import Path

from flask import Flask

from search_index import IndexBusy
from webapp.core.background import START_LOCK, BackgroundLoop, ElectedLoop, FileElection
from webapp.extensions import db
from webapp.search.indexing import drain_queue, search_state, writer_mode

ELECTION_LOCK_FILE = "webapp-writer.lock"
POLL_SECONDS = 0.3
ELECTION_RETRY_SECONDS = 2.0
ERROR_BACKOFF_SECONDS = 2.0

log = logging.getLogger(__name__)


def writer_election(index_dir: Path) -> FileElection:
    return FileElection(index_dir, ELECTION_LOCK_FILE)


class IndexWriter(ElectedLoop):
    """The drain loop of the search queue."""

    thread_name = "search-index-writer"

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS,
                 election_retry_seconds: float = ELECTION_RETRY_SECONDS):
        super().__init__(app, writer_election(search_state(app).index_dir), poll_seconds,
                         election_retry_seconds)

    def work_once(self) -> int:
        return self.drain_once()

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
