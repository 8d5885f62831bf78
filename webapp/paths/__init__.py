"""Curated paths ("parcours"): organisers' ordered reading lists of talks across events, each talk
with a note. Drafts stay in the workspace; a published path shows only its public talks.

- views.py: /paths/ and /paths/<slug> (with JSON-LD ItemList); the Atom feed and the sitemap's
  entries live in webapp/feeds/, the read API in api.py;
- manage_views.py: the workspace (/manage/paths/...); operations.py: the changes (audited);
- queries.py: the reads, including a talk's places in published paths (its page's partial
  paths/_talk_paths.html, through the `talk_path_places` template global).
"""
from flask import Blueprint, Flask

bp = Blueprint("paths", __name__)


def init_app(app: Flask) -> None:
    from webapp.core.audit import register_field_labels
    from webapp.paths import api, manage_views, views  # noqa: F401  (routes)
    from webapp.paths.forms import FIELD_LABELS
    from webapp.paths.queries import places_of_talk

    register_field_labels(app, {"path": FIELD_LABELS})
    app.add_template_global(places_of_talk, "talk_path_places")
    app.register_blueprint(bp)
