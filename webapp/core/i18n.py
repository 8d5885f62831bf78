"""Locale choice: an explicit switch (cookie) wins, then Accept-Language, then French.

Outside a request (commands, and the mails they send) the default locale is used."""
import functools
import re
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import force_locale, format_date, format_decimal, get_locale
from flask_babel import gettext as _

LOCALE_COOKIE = "lang"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language is named in itself in the switcher, whatever the current language.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
OPEN_GRAPH_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def in_english(command):
    """A command's messages in English, as the rest of the command line speaks: reasons that
    features write for pages (lazy strings) would otherwise come in the default locale."""
    @functools.wraps(command)
    def english_command(*args, **kwargs):
        with force_locale("en"):
            return command(*args, **kwargs)

    return english_command


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return locale_of(request, current_app.config)


def locale_of(any_request, config) -> str:
    """The locale of a request (Flask's, or a bare Werkzeug one before Flask has seen it)."""
    languages = tuple(config["LANGUAGES"])
    chosen = any_request.cookies.get(LOCALE_COOKIE)
    if chosen in languages:
        return chosen
    return any_request.accept_languages.best_match(languages) or config["BABEL_DEFAULT_LOCALE"]


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


# French writes the first day of a month as an ordinal: "1er décembre", "1er déc.", never "1 décembre".
_FRENCH_MONTHS = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
                  r"janv\.|févr\.|avr\.|juil\.|sept\.|oct\.|nov\.|déc\.")
_FIRST_OF_MONTH = re.compile(
    rf"(?<![\d,])1(?=(?:\s?[–-]\s?\d{{1,2}})?[ \u00a0\u202f](?:{_FRENCH_MONTHS}))")
# A colon, semicolon, question or exclamation mark that ends a word, outside URLs and times (14:30).
_BARE_HIGH_PUNCTUATION = re.compile(r"(?<![\d/])(?<!https)(?<!http)[ \u00a0]?([:;?!])(?=\s|$)")


def with_french_ordinals(text: str) -> str:
    """'1 décembre 2026' -> '1er décembre 2026' when the page is in French; other text as it is."""
    if str(get_locale() or "").startswith("fr"):
        return _FIRST_OF_MONTH.sub("1er", text)
    return text


def with_french_typography(text: str) -> str:
    """Text made elsewhere (a citation style), set the French way when the page is in French:
    '1er' for the first of a month, a narrow no-break space before : ; ? ! (not in URLs or times)."""
    if not str(get_locale() or "").startswith("fr"):
        return text
    return _BARE_HIGH_PUNCTUATION.sub("\u202f\\1", with_french_ordinals(text))


def format_day(value, format: str = "medium") -> str:
    """Flask-Babel's format_date, with French ordinals (the `dateformat` filter of the templates)."""
    return with_french_ordinals(format_date(value, format)) if value is not None else ""


def language_name(code: str | None) -> str:
    """'fr' -> 'français' / 'French', in the current language; unknown codes are shown as is."""
    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def format_file_size(size: int) -> str:
    """'24.6 kB' / '24,6 ko', '100 MB' / '100 Mo': decimal units, the locale's decimal sign and
    unit names (the templates' `filesizeformat` filter)."""
    if size >= 1_000_000_000:
        return _("%(number)s GB", number=format_decimal(round(size / 1_000_000_000, 1)))
    if size >= 1_000_000:
        return _("%(number)s MB", number=format_decimal(round(size / 1_000_000, 1)))
    if size >= 1_000:
        return _("%(number)s kB", number=format_decimal(round(size / 1_000, 1)))
    return _("%(number)s bytes", number=format_decimal(size))


def _vary_on_language(response):
    """Pages whose language comes from the cookie or Accept-Language say so to caches."""
    if request.endpoint != "static":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def init_app(app: Flask) -> None:
    from flask_babel import refresh

    app.jinja_env.filters["dateformat"] = format_day  # after Flask-Babel's own: it replaces it
    app.jinja_env.filters["filesizeformat"] = format_file_size  # Jinja's is English only
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
