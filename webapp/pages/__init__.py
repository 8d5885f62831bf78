"""The site's own pages that no feature owns: the accessibility statement (déclaration
d'accessibilité, as RGAA 4.1 asks of French public bodies) at /accessibilite.

- views.py: the routes (blueprint `pages`); statement.py: what the statement says of its measures.
"""
from flask import Blueprint, Flask

bp = Blueprint("pages", __name__)


def init_app(app: Flask) -> None:
    from webapp.pages import views  # noqa: F401  (routes)

    app.register_blueprint(bp)
