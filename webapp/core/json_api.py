"""What every JSON API blueprint shares: its OpenAPI description, validators, and CORS for reads.

- `documented(...)` marks a view with its OpenAPI operation (summary, parameters, responses with
  marshmallow schemas); webapp/openapi/ reads the marks from the app's views and builds the
  document, so the description lives beside the code it describes.
- `conditional_json(payload)` answers with an ETag (a hash of the body) and a 304 to a matching
  If-None-Match, as the feeds do; the page cache keeps that ETag when it keeps the answer.
- `allow_cross_origin_reads(blueprint)`: any site may read (GET, HEAD) without credentials, and the
  preflight of such a read is answered; writes (slide uploads) get no CORS header, so browsers
  refuse them from other sites.
"""
from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields

OPERATION_ATTRIBUTE = "openapi_operation"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
PREFLIGHT_SECONDS = 86400
# Headers a cross-origin script may send with a read, and those of the answer it may read.
READ_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Link, Last-Modified, Location"


def documented(**operation):
    """Mark a view with its OpenAPI operation object (apispec's form: schemas may be classes)."""
    def mark(view):
        setattr(view, OPERATION_ATTRIBUTE, operation)
        return view
    return mark


def operation_of(view) -> dict | None:
    return getattr(view, OPERATION_ATTRIBUTE, None)


def conditional_json(payload, headers: dict | None = None):
    """A JSON answer with an ETag, revalidated on each use (no-cache), 304 when it matches."""
    response = jsonify(payload)
    response.headers.extend(headers or {})
    response.add_etag()
    if "Cache-Control" not in response.headers:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def _cross_origin_read_headers(response):
    if request.method not in READ_METHODS:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Allow-Headers"] = READ_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
    return response


def allow_cross_origin_reads(blueprint: Blueprint) -> None:
    blueprint.after_request(_cross_origin_read_headers)


class ErrorSchema(Schema):
    """Every JSON refusal: {"error": the HTTP status's name or a code, "message": for people}."""

    error = fields.String(required=True, metadata={"description": "The status's name, or a code (slides)."})
    message = fields.String(required=True, metadata={"description": "What went wrong, in the request's language."})


def json_content(schema) -> dict:
    return {"application/json": {"schema": schema}}


def error_response(description: str) -> dict:
    return {"description": description, "content": json_content(ErrorSchema)}
