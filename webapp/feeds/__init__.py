"""Syndication: Atom feeds, event calendars, the sitemap and robots.txt."""
from flask import Blueprint, Flask

bp = Blueprint("feeds", __name__)


def init_app(app: Flask) -> None:
    from webapp.feeds import views  # noqa: F401  (routes)

    app.register_blueprint(bp)
