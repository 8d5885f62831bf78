"""Accounts: logging in and out, password reset, and `flask users`. Who may do what is decided
in webapp/core/access.py, which every feature's routes use."""
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    from webapp.accounts import manage_views, views  # noqa: F401  (routes)
    from webapp.accounts.cli import users_cli
    from webapp.core.audit import register_field_labels

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    register_field_labels(app, {"account": {"sessions": _l("Open sessions")}})
