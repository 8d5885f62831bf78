"""Causeries: a public archive of experience-sharing sessions, their talks and slides."""
from flask import Flask

from webapp.config import build_config
from webapp.extensions import babel, csrf, db, login_manager, mail, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(build_config(app.instance_path, config))
    _trust_proxies(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _init_search(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N trusted proxies, the client address is the Nth X-Forwarded-For entry from the end."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    if app.config["TRUSTED_PROXY_COUNT"] > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXY_COUNT"])


def _init_search(app: Flask) -> None:
    from webapp.services import indexing

    indexing.init_app(app)


def _init_extensions(app: Flask) -> None:
    from webapp import database, i18n, models  # noqa: F401  (models register their tables)

    db.init_app(app)
    database.configure_engine_events()
    migrate.init_app(app, db, directory=str(_project_root(app) / "migrations"))
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    _init_login(app)


def _init_login(app: Flask) -> None:
    from webapp.auth import access  # noqa: F401  (registers the user and token loaders)

    login_manager.init_app(app)
    login_manager.session_protection = "basic"


def _register_blueprints(app: Flask) -> None:
    from webapp.auth import bp as auth_bp
    from webapp.errors import register_error_handlers
    from webapp.feeds import bp as feeds_bp
    from webapp.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(auth_bp)
    _register_search_blueprints(app)
    _register_manage_blueprint(app)
    _register_slides_blueprints(app)
    _register_profile_blueprint(app)
    register_error_handlers(app)


def _register_search_blueprints(app: Flask) -> None:
    from webapp.api import bp as api_bp
    from webapp.search import bp as search_bp

    app.register_blueprint(search_bp)
    app.register_blueprint(api_bp)


def _register_manage_blueprint(app: Flask) -> None:
    from webapp.manage import bp as manage_bp

    app.register_blueprint(manage_bp)


def _register_slides_blueprints(app: Flask) -> None:
    from webapp import slides
    from webapp.manage_slides import bp as manage_slides_bp

    app.register_blueprint(manage_slides_bp)
    slides.init_app(app)  # file routes and the background slide worker


def _register_profile_blueprint(app: Flask) -> None:
    from webapp.profile import bp as profile_bp

    app.register_blueprint(profile_bp)


def _register_cli(app: Flask) -> None:
    from webapp.cli import register_commands
    from webapp.manage.speaker_merge_cli import merge_command
    from webapp.profile.cli import speakers_cli

    register_commands(app)
    speakers_cli.add_command(merge_command)
    app.cli.add_command(speakers_cli)


def _project_root(app: Flask):
    from pathlib import Path

    return Path(app.root_path).parent
