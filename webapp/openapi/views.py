"""GET /api/v1/openapi.json: built once per process (the routes do not change while it runs)."""
from flask import current_app

from webapp.core.blueprints import api_bp as bp
from webapp.core.json_api import conditional_json, documented, error_response, json_content
from webapp.openapi.document import build_document

EXTENSION_KEY = "openapi_document"



@bp.get("/openapi.json")
@documented(tags=["meta"], summary="This document: the OpenAPI 3.1 description of /api/v1", responses={
    "200": {"description": "The OpenAPI document.", "content": json_content({"type": "object"})},
    "304": {"description": "Not modified: the ETag sent in If-None-Match is current."},
    "400": error_response("The address holds control characters or bytes that are not UTF-8."),
})
def openapi_document():
    if EXTENSION_KEY not in current_app.extensions:
        current_app.extensions[EXTENSION_KEY] = build_document(current_app)
    return conditional_json(current_app.extensions[EXTENSION_KEY])
