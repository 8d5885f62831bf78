"""The background slide worker: one thread per host, any number of hosts.

Every web process starts a SlideWorker thread lazily (after gunicorn's fork); the one holding
the host's lock SLIDES_WORKER_LOCK_DIR/slides-worker.lock (a host-local folder, the instance
folder by default) processes decks, the others retry every few seconds, so when that process
dies the OS frees the lock and another process of the host takes over. Correctness does not rest
on that lock: decks are claimed in the database with a lease (webapp/slides/leases.py), so the
workers of several hosts (sharing UPLOAD_DIR, even over NFS) never process the same deck, and a
deck whose worker died is resumed by any of them once its lease has run out (counting one more
attempt; after MAX_ATTEMPTS it is marked failed). `flask slides worker` runs the same loop in
the foreground; `flask slides process` runs one pass, beside any worker.
"""
import logging
from pathlib import Path

from flask import Flask

from webapp.core.background import START_LOCK, BackgroundLoop, ElectedLoop, FileElection, background_mode
from webapp.core.storage import get_file_store
from webapp.extensions import db
from webapp.slides.operations import process_pending_decks

HOST_LOCK_FILE = "slides-worker.lock"
POLL_SECONDS = 2.0
ELECTION_RETRY_SECONDS = 5.0
ERROR_BACKOFF_SECONDS = 10.0
EXTENSION_KEY = "causeries_slide_worker"

log = logging.getLogger(__name__)


def worker_mode(app: Flask) -> str:
    """"thread": each host's web processes run one slide worker among themselves; "off": run
    `flask slides worker` separately (the default in tests)."""
    return background_mode(app.config, "SLIDES_WORKER", ("thread", "off"), under_testing="off")


def host_election(app: Flask) -> FileElection:
    """At most one slide worker thread per host: a lock in a folder of this host's own."""
    return FileElection(Path(app.config["SLIDES_WORKER_LOCK_DIR"] or app.instance_path), HOST_LOCK_FILE)


def run_pass(app: Flask) -> int:
    """Process what waits, beside any other worker of any host; returns how many. Commits."""
    with app.app_context():
        try:
            get_file_store().remove_stale_temporary_files()
            return process_pending_decks()
        finally:
            db.session.remove()


class SlideWorker(ElectedLoop):
    """The processing loop (see ElectedLoop for running it)."""

    thread_name = "slide-worker"

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS):
        super().__init__(app, host_election(app), poll_seconds, ELECTION_RETRY_SECONDS)

    def work_once(self) -> int:
        """Process what waits; errors are logged and retried later, never raised."""
        try:
            return run_pass(self.app)
        except Exception:
            log.exception("slide processing failed; retrying")
        self._stopping.wait(ERROR_BACKOFF_SECONDS)
        return 0


def ensure_slide_worker(app: Flask) -> SlideWorker:
    """Start this process's worker thread once."""
    with START_LOCK:
        worker = app.extensions[EXTENSION_KEY] = SlideWorker.running(app.extensions.get(EXTENSION_KEY), app)
    return worker


def stop_slide_worker(app: Flask) -> None:
    if (worker := app.extensions.get(EXTENSION_KEY)) is not None:
        worker.stop_if_ours()


SLIDE_WORKER_LOOP = BackgroundLoop(
    name="slide-worker",
    is_on=lambda app: worker_mode(app) == "thread",
    ensure=ensure_slide_worker,
    stop=stop_slide_worker,
)
