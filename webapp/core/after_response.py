"""Work that runs once the response has gone: its duration tells the client nothing.

`after_response(work, *args)` calls work(*args) when the WSGI server closes the response, that
is after the whole body was written to the client, in an app context of its own and in the
request's language. A failure is logged; the client already has its answer.
"""
from collections.abc import Callable

from flask import Flask, after_this_request, current_app
from flask_babel import force_locale, get_locale

from webapp.extensions import db


def after_response(work: Callable, *args) -> None:
    app = current_app._get_current_object()
    locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])

    @after_this_request
    def schedule(response):
        response.call_on_close(lambda: _run(app, locale, work, args))
        return response


def _run(app: Flask, locale: str, work: Callable, args: tuple) -> None:
    with app.app_context(), force_locale(locale):
        try:
            work(*args)
        except Exception:  # noqa: BLE001  (the response is gone: log, never raise into the server)
            app.logger.exception("Work after the response failed: %s", getattr(work, "__name__", work))
        finally:
            db.session.remove()
