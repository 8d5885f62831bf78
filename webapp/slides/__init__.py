"""Slide decks: validation by content, sandboxed parsing, background processing, file serving.

The blueprint serves the stored files: GET /slides/<deck>/<filename> (download) and
GET /slides/<deck>/pages/<n>/<size>.webp (page images). Uploads go through the API
(webapp/api/slides.py), the workspace (webapp/manage_slides/) and `flask slides add`.
"""
from flask import Blueprint, Flask

from webapp.config import background_mode

bp = Blueprint("slides", __name__)


def worker_mode(app: Flask) -> str:
    """"thread": web processes elect one slide worker among themselves; "off": run
    `flask slides worker` separately (the default in tests)."""
    return background_mode(app.config, "SLIDES_WORKER", ("thread", "off"), under_testing="off")


def init_app(app: Flask) -> None:
    """Register the file routes; start the background worker lazily (after any fork)."""
    from webapp.slides.worker import ensure_slide_worker

    app.register_blueprint(bp)
    if worker_mode(app) == "thread":
        @app.before_request
        def start_slide_worker() -> None:  # returns None: the request goes on
            ensure_slide_worker(app)


from webapp.slides import views  # noqa: E402,F401
