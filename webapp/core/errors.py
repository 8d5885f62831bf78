"""Error pages: helpful HTML for people (in their language), JSON for /api clients."""
from flask import Flask, abort, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import BadRequest, Conflict, HTTPException, InternalServerError, ServiceUnavailable

from webapp.extensions import db

# code -> (title, explanation), shown when the error carries no message of its own.
MESSAGES = {
    400: (_l("Bad request"), _l("The address contains a value the archive cannot understand.")),
    403: (_l("Forbidden"), _l("You are not allowed to see this page.")),
    404: (_l("Page not found"),
          _l("This page is not in the archive. It may have moved, or the address may be mistyped.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    410: (_l("Gone"), _l("This page has been removed from the archive.")),
    409: (_l("Conflict"), _l("Someone else saved the same record at the same moment. "
                             "Nothing of yours was saved: please try again.")),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    503: (_l("The archive is busy"),
          _l("Other changes are being saved. Nothing of yours was saved: please try again "
             "in a few seconds.")),
    500: (_l("Something went wrong"),
          _l("The archive could not show this page. The problem has been logged; "
             "please try again in a moment.")),
}
GENERIC = (_l("Error"), _l("The archive could not answer this request."))
# Said instead of Flask-WTF's "The CSRF token is missing / has expired / does not match".
EXPIRED_FORM = _l("This form has expired: it was open for a long time, or your session ended. Nothing "
                  "was saved. Go back, copy what you typed if you need it, reload the page and send it again.")


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _has_own_message(error: HTTPException) -> bool:
    return bool(error.description) and error.description != type(error).description


def _explain(error: HTTPException) -> tuple[str, str]:
    title, default = MESSAGES.get(error.code, GENERIC)
    return str(title), str(error.description) if _has_own_message(error) else str(default)


def _handle_http_error(error: HTTPException):
    if _wants_json():
        return jsonify(error=error.name, message=error.description), error.code
    title, message = _explain(error)
    response = render_template("errors/error.html", error=error, title=title, message=message)
    return response, error.code, _error_headers(error)


def _handle_expired_form(error: CSRFError):
    """A form sent without a valid CSRF token: said in words its sender understands."""
    return _handle_http_error(BadRequest(description=str(EXPIRED_FORM)))


def _error_headers(error: HTTPException) -> dict:
    headers = dict(error.get_headers()) if error.code == 405 else {}
    headers.pop("Content-Type", None)
    return headers


def _handle_unexpected_error(error: InternalServerError):
    """Unhandled exceptions arrive here wrapped in InternalServerError; never show internals."""
    return _handle_http_error(InternalServerError())


# What the databases say when a writer waited too long for another one's lock.
BUSY_MESSAGES = ("database is locked", "lock timeout", "could not obtain lock", "deadlock detected",
                 "could not serialize access")
BUSY_RETRY_SECONDS = 5


def _handle_write_clash(error: IntegrityError):
    """A unique key another request took in the same instant: nothing was kept, 409."""
    db.session.rollback()
    if "unique" not in str(error.orig).lower():
        raise error
    return _handle_http_error(Conflict())


def _handle_database_busy(error: OperationalError):
    """A writer that waited out its lock timeout: nothing was kept, 503 with Retry-After."""
    db.session.rollback()
    if not any(message in str(error.orig).lower() for message in BUSY_MESSAGES):
        raise error
    response, code, headers = _handle_http_error(ServiceUnavailable())
    return response, code, {**headers, "Retry-After": str(BUSY_RETRY_SECONDS)}


def _has_control_characters(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def _reject_unusable_address() -> None:
    """Addresses no page can answer, refused before any view or query runs.

    Raw non-UTF-8 bytes would make request.args raise; NUL and other control characters
    are refused by PostgreSQL even inside a comparison. Neither can name anything here.
    """
    try:
        request.query_string.decode()
    except UnicodeDecodeError:
        abort(400, description=_l("The address contains characters that are not valid UTF-8."))
    if _has_control_characters(request.path):
        abort(404)
    if any(_has_control_characters(k + v) for k, v in request.args.items(multi=True)):
        abort(400, description=_l("The address contains control characters."))


def register_error_handlers(app: Flask) -> None:
    app.before_request(_reject_unusable_address)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(CSRFError, _handle_expired_form)
    app.register_error_handler(InternalServerError, _handle_unexpected_error)
    app.register_error_handler(IntegrityError, _handle_write_clash)
    app.register_error_handler(OperationalError, _handle_database_busy)
