"""Accounts: logging in and out, password reset, and `flask users`. Who may do what is decided
in webapp/core/access.py, which every feature's routes use."""
from flask import Blueprint, Flask

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    from webapp.accounts import manage_views, views  # noqa: F401  (routes)
    from webapp.accounts.cli import users_cli

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
