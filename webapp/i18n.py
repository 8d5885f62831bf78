"""Locale choice: an explicit switch (cookie) wins, then Accept-Language, then French."""
from flask import Flask, current_app, request

LOCALE_COOKIE = "lang"


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in supported_locales():
        return chosen
    return request.accept_languages.best_match(supported_locales()) or (
        current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def init_app(app: Flask) -> None:
    from flask_babel import get_locale

    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale()), "supported_locales": supported_locales()}
