"""The single index writer: elected by an OS file lock, it drains the search queue in a loop.

Every gunicorn worker (started after the fork, in gunicorn.conf.py's post_worker_init or lazily on
the first request) and `flask search worker` run an IndexWriter. Only the one holding the election
lock (flock LOCK_EX|LOCK_NB on a file in the index directory) drains; the others try again every
few seconds, so when the writer's process dies the OS frees the lock and another one takes over.
"""
import fcntl
import logging
import os
import threading
from pathlib import Path

from flask import Flask

from search_index import IndexBusy
from webapp.extensions import db
from webapp.services.indexing import drain_queue, search_state

ELECTION_LOCK_FILE = "webapp-writer.lock"
POLL_SECONDS = 0.3
ELECTION_RETRY_SECONDS = 2.0
ERROR_BACKOFF_SECONDS = 2.0

log = logging.getLogger(__name__)


class WriterElection:
    """Holds the election lock for as long as this process is the writer."""

    def __init__(self, index_dir: Path, lock_name: str = ELECTION_LOCK_FILE):
        self.path = index_dir / lock_name
        self._fd: int | None = None

    @property
    def is_held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class ElectedLoop:
    """A loop that one process at a time runs: whoever holds the election lock works, the others
    retry the election. run() in the foreground (CLI) or start() as a daemon thread (web).
    Subclasses do one round of work in work_once() and return how much they did."""

    thread_name = "elected-loop"

    def __init__(self, app: Flask, election: WriterElection, poll_seconds: float,
                 election_retry_seconds: float):
        self.app = app
        self.poll_seconds = poll_seconds
        self.election_retry_seconds = election_retry_seconds
        self.election = election
        self.pid = os.getpid()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10) -> None:
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                if not self.election.is_held and not self.election.try_acquire():
                    self._stopping.wait(self.election_retry_seconds)
                    continue
                if self.work_once() == 0:
                    self._stopping.wait(self.poll_seconds)
        finally:
            self.election.release()

    def work_once(self) -> int:
        raise NotImplementedError

    @classmethod
    def running(cls, current: "ElectedLoop | None", *args) -> "ElectedLoop":
        """`current` if its thread runs in this process, else a new loop of this class, started
        (again in a forked child, whose thread is gone). Callers hold START_LOCK."""
        if current is not None and current.pid == os.getpid() and current.is_running:
            return current
        loop = cls(*args)
        loop.start()
        return loop

    def stop_if_ours(self) -> None:
        """Stop the loop if this process started it (not a copy inherited through fork)."""
        if self.pid == os.getpid():
            self.stop()


# One lock for starting any elected loop of this process.
START_LOCK = threading.Lock()


class IndexWriter(ElectedLoop):
    """The drain loop of the search queue."""

    thread_name = "search-index-writer"

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS,
                 election_retry_seconds: float = ELECTION_RETRY_SECONDS):
        super().__init__(app, WriterElection(search_state(app).index_dir), poll_seconds,
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
