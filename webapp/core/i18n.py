"""Locale choice: an explicit switch (cookie) wins, then Accept-Language, then French.

Outside a request (commands, and the mails they send) the default locale is used."""
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for

LOCALE_COOKIE = "lang"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language is named in itself in the switcher, whatever the current language.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
OPEN_GRAPH_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in supported_locales():
        return chosen
    return request.accept_languages.best_match(supported_locales()) or (
        current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def is_local_path(target: str | None) -> bool:
    """A path on this site ('/events/'), not '//host', '/\\host', 'http://host' or control chars."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next_path(target: str | None) -> str:
    return target if is_local_path(target) else url_for("public.home")


def current_path() -> str:
    """The current page as a local path with its query string, for the language switcher."""
    try:
        query = request.query_string.decode()
    except UnicodeDecodeError:
        query = ""
    return f"{request.path}?{query}" if query else request.path


def _vary_on_language(response):
    """Pages whose language comes from the cookie or Accept-Language say so to caches."""
    if request.endpoint != "static":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def init_app(app: Flask) -> None:
    from flask_babel import get_locale, refresh

    # The locale is cached on the app context, which outlives a request when one is already
    # pushed (CLI commands, tests): choose it afresh for every request.
    app.before_request(refresh)

    @app.context_processor
    def inject_locale():
        locale = str(get_locale())
        return {"current_locale": locale, "supported_locales": supported_locales(),
                "language_names": LANGUAGE_NAMES, "current_path": current_path}

    @app.template_global()
    def og_locale() -> str:
        locale = str(get_locale())
        return OPEN_GRAPH_LOCALES.get(locale, locale)

    app.after_request(_vary_on_language)
