"""Error pages: helpful HTML for people, JSON for /api clients."""
from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _handle_http_error(error: HTTPException):
    if _wants_json():
        return jsonify(error=error.name, message=error.description), error.code
    return render_template("errors/error.html", error=error), error.code


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_error)
