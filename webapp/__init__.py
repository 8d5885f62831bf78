"""Causeries: a public archive of experience-sharing sessions, their talks and slides.

create_app builds the app: settings, extensions, then each feature's init_app in FEATURES order
(its blueprints, CLI group, hooks and background loop), then the blueprints features share.
The page cache's init_app runs among the extensions instead: it wraps the app in the WSGI layer
that answers cached pages before Flask sees the request (inside ProxyFix), and its after-request
hook must run after the others.
"""
from importlib import import_module
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemLoader

from webapp.config import build_config
from webapp.extensions import babel, csrf, db, login_manager, mail, migrate

FEATURES = ("catalogue", "feeds", "accounts", "search", "manage", "slides",
            "profile", "stats", "importing", "oai", "openapi", "exporting", "transcripts", "pages",
            "related", "paths", "sharing", "embeds")


def create_app(config: dict | None = None) -> Flask:
    from webapp.core.blueprints import register_shared_blueprints
    from webapp.core.errors import register_error_handlers
    from webapp.core.site_url import SiteUrlFlask

    app = SiteUrlFlask(__name__, instance_relative_config=True)
    app.config.update(build_config(app.instance_path, config))
    _init_extensions(app)
    _trust_proxies(app)  # around the page cache's WSGI layer, which counts the client address
    features = [import_module(f"webapp.{name}") for name in FEATURES]
    app.jinja_loader = _template_loader(app, features)
    for feature in features:
        feature.init_app(app)
    register_shared_blueprints(app)
    register_error_handlers(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N trusted proxies, the client address is the Nth X-Forwarded-For entry from the end."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    if app.config["TRUSTED_PROXY_COUNT"] > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXY_COUNT"])


def _init_extensions(app: Flask) -> None:
    from webapp import models, page_cache  # noqa: F401  (models: they register their tables)
    from webapp.core import access, cookieless, database, i18n, security_headers, site_url  # noqa: F401  (access: the loaders)

    db.init_app(app)
    database.configure_engine_events()
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    app.before_request(site_url.refuse_untrusted_host)
    page_cache.init_app(app)  # before the hooks below: it keeps pages after they have run
    app.before_request(access.check_before_body)  # who may send a body, before CSRF reads it
    csrf.init_app(app)
    mail.init_app(app)
    security_headers.init_app(app)
    cookieless.init_app(app)  # the session interface: no cookie at all on the pages other sites embed
    login_manager.init_app(app)
    login_manager.session_protection = "basic"


def _template_loader(app: Flask, features) -> FileSystemLoader:
    """webapp/templates (the layouts and macros every feature uses), then each feature's templates/."""
    folders = [Path(app.root_path) / "templates"]
    folders += [Path(feature.__file__).parent / "templates" for feature in features]
    return FileSystemLoader([str(folder) for folder in folders if folder.is_dir()])
