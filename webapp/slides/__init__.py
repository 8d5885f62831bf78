"""Slide decks: validation by content, sandboxed parsing, background processing, file serving.

- views.py: GET /slides/<deck>/<filename> (download) and /slides/<deck>/pages/<n>/<size>.webp;
- manage_views.py: uploads from the "Slides" section of a talk's workspace page (templates/slides/
  _decks.html, which manage/talk_form.html shows), posted to /manage/talks/<id>/slides (blueprint
  manage_slides);
- profile_views.py: the same section on a page for a speaker's own talks (/profile/talks/<id>/slides);
- api.py: uploads and versions through /api/v1 with a bearer token;
- bulk_views.py: a ZIP of decks for the talks of one event (/manage/events/<id>/slides/bulk,
  blueprint manage_bulk_slides), matched by file name (bulk_matching.py), checked and staged
  (bulk_archive.py, bulk_staging.py), then added (bulk_operations.py);
- operations.py (attach, process), queries.py (what public pages show), worker.py (the elected
  background worker), cli.py (`flask slides`), template_helpers.py (slide URLs for every template).
"""
from flask import Blueprint, Flask

from webapp.core.access import can_manage, require_audience

bp = Blueprint("slides", __name__)
manage_bp = Blueprint("manage_slides", __name__)
require_audience(manage_bp, can_manage)  # the workspace's audience
bulk_bp = Blueprint("manage_bulk_slides", __name__)
require_audience(bulk_bp, can_manage)


def init_app(app: Flask) -> None:
    """File routes, the workspace uploads, `flask slides`; the worker starts after any fork."""
    from webapp.core.background import register_loop
    from webapp.slides import api, bulk_views, manage_views, profile_views, template_helpers, views  # noqa: F401
    from webapp.slides.cli import slides_cli
    from webapp.slides.worker import SLIDE_WORKER_LOOP

    app.register_blueprint(bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(bulk_bp)
    register_loop(app, SLIDE_WORKER_LOOP)
    app.cli.add_command(slides_cli)
