"""The background slide worker: one per deployment, elected by a file lock in UPLOAD_DIR.

Every web process starts a SlideWorker thread lazily (after gunicorn's fork); only the one holding
UPLOAD_DIR/slides.lock processes decks, the others retry the election every few seconds, so when
that process dies the OS frees the lock and another takes over. `flask slides worker` runs the
same loop in the foreground and `flask slides process` takes the same lock for one pass.

Whoever wins the election knows that no other process is processing (a deck's lease can only be
held by a dead process then): it releases the leases, so a restart resumes unfinished decks at
once. Each resumed deck counts one more attempt; after MAX_ATTEMPTS it is marked failed.
"""
import logging
from pathlib import Path

from flask import Flask

from webapp.core.background import START_LOCK, BackgroundLoop, ElectedLoop, FileElection, background_mode
from webapp.core.storage import get_file_store
from webapp.extensions import db
from webapp.slides.operations import process_pending_decks, release_leases

ELECTION_LOCK_FILE = "slides.lock"
POLL_SECONDS = 2.0
ELECTION_RETRY_SECONDS = 5.0
ERROR_BACKOFF_SECONDS = 10.0
EXTENSION_KEY = "causeries_slide_worker"

log = logging.getLogger(__name__)


def worker_mode(app: Flask) -> str:
    """"thread": web processes elect one slide worker among themselves; "off": run
    `flask slides worker` separately (the default in tests)."""
    return background_mode(app.config, "SLIDES_WORKER", ("thread", "off"), under_testing="off")


def slide_election(app: Flask) -> FileElection:
    return FileElection(Path(app.config["UPLOAD_DIR"]), ELECTION_LOCK_FILE)


def run_elected_pass(app: Flask) -> int:
    """Release leftover leases and process what waits; needs the election held. Commits."""
    with app.app_context():
        try:
            release_leases()
            db.session.commit()
            get_file_store().remove_stale_temporary_files()
            return process_pending_decks()
        finally:
            db.session.remove()


class SlideWorker(ElectedLoop):
    """The processing loop (see ElectedLoop for running it)."""

    thread_name = "slide-worker"

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS):
        super().__init__(app, slide_election(app), poll_seconds, ELECTION_RETRY_SECONDS)

    def work_once(self) -> int:
        """Process what waits; errors are logged and retried later, never raised."""
        try:
            return run_elected_pass(self.app)
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
