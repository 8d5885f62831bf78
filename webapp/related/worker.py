"""The related worker: an elected loop (webapp/core/background.py) that drains the related queue after
the commits that filled it. Every gunicorn worker runs one thread, only the elected one works;
`flask related worker` runs the same loop in the foreground (RELATED_WORKER=off in the web workers)."""
import logging
from pathlib import Path

from flask import Flask

from webapp.core.background import START_LOCK, BackgroundLoop, ElectedLoop, FileElection, background_mode
from webapp.extensions import db
from webapp.related.operations import drain_related_queue

EXTENSION_KEY = "causeries_related_worker"
ELECTION_LOCK_FILE = "related-worker.lock"
POLL_SECONDS = 1.0
ELECTION_RETRY_SECONDS = 5.0
ERROR_BACKOFF_SECONDS = 5.0

log = logging.getLogger(__name__)


def worker_mode(app: Flask) -> str:
    """"thread": web processes elect one related worker among themselves; "off": run
    `flask related worker` separately (the default in tests, which drain the queue themselves)."""
    return background_mode(app.config, "RELATED_WORKER", ("thread", "off"), under_testing="off")


class RelatedWorker(ElectedLoop):
    thread_name = "related-worker"

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS):
        election = FileElection(Path(app.config["SEARCH_INDEX_DIR"]), ELECTION_LOCK_FILE)
        super().__init__(app, election, poll_seconds, ELECTION_RETRY_SECONDS)

    def work_once(self) -> int:
        """Drain what is queued; errors are logged and retried later, never raised."""
        with self.app.app_context():
            try:
                return drain_related_queue()
            except Exception:
                log.exception("recomputing related talks failed; retrying")
            finally:
                db.session.remove()
        self._stopping.wait(ERROR_BACKOFF_SECONDS)
        return 0


def ensure_related_worker(app: Flask) -> RelatedWorker:
    with START_LOCK:
        worker = app.extensions[EXTENSION_KEY] = RelatedWorker.running(app.extensions.get(EXTENSION_KEY), app)
    return worker


def stop_related_worker(app: Flask) -> None:
    if (worker := app.extensions.get(EXTENSION_KEY)) is not None:
        worker.stop_if_ours()


RELATED_WORKER_LOOP = BackgroundLoop(
    name="related-worker",
    is_on=lambda app: worker_mode(app) == "thread",
    ensure=ensure_related_worker,
    stop=stop_related_worker,
)
