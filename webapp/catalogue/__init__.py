"""The catalogue: events, talks, speakers and tags, their public pages and their workspace pages.

- views.py: the public pages (blueprint `public`); manage_views/: the workspace's pages for each
  kind of row, on the shared `manage` blueprint;
- operations/: what changes rows (flush, never commit); queries.py: what the public pages read;
  home_queries.py: the home page's sections, one query each;
- summary/: counts and orderings kept current in each change's transaction, so that no public page
  counts or sorts the whole archive (`flask summary check | rebuild`);
- cli.py: `flask speakers invite | merge`;
- api/: the read API (/api/v1/events, /talks, /speakers, /tags, on the shared `api` blueprint);
- citation/: how to cite talks (meta tags, RIS, CSL-JSON, BibTeX, formatted references);
  citation_views.py: their downloads (blueprint `search_citations` for those of search pages,
  which the page cache does not keep).
"""
from flask import Blueprint, Flask

bp = Blueprint("public", __name__)
search_citations_bp = Blueprint("search_citations", __name__)


def init_app(app: Flask) -> None:
    from webapp.catalogue import citation_views, manage_views, template_helpers, views  # noqa: F401  (routes)
    from webapp.catalogue.api import views as api_views  # noqa: F401  (routes on the shared `api` blueprint)
    from webapp.catalogue.cli import speakers_cli
    from webapp.catalogue.forms import audit_field_labels
    from webapp.catalogue.summary import install_tracking
    from webapp.catalogue.summary.cli import summary_cli
    from webapp.core.audit import register_field_labels
    from webapp.extensions import db

    app.register_blueprint(bp)
    app.register_blueprint(search_citations_bp)
    app.cli.add_command(speakers_cli)
    app.cli.add_command(summary_cli)
    install_tracking(db.session)
    register_field_labels(app, audit_field_labels())
