"""The OpenAPI 3.1 document of /api/v1, generated from the app: apispec with its marshmallow plugin.

Its paths are the app's url_map (every rule under /api/v1, each method but HEAD and OPTIONS); each
operation is the one its view carries (webapp/core/json_api.py's `documented`), or, for views that
carry none, search_and_slides.py's. Path parameters come from the rules' converters. A route with
no description is left out here, and tests/api/ fails on it.
"""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from werkzeug.routing import Rule

from webapp.core.json_api import operation_of
from webapp.openapi.search_and_slides import OPERATIONS

API_PREFIX = "/api/v1"
OPENAPI_VERSION = "3.1.0"
UNDOCUMENTED_METHODS = frozenset({"HEAD", "OPTIONS"})
CONVERTER_SCHEMAS = {"int": {"type": "integer"}}
# A variable of a rule (Werkzeug's syntax): <name>, <converter:name> or <converter(arguments):name>.
VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
DESCRIPTION = ("The archive's public read API: events, talks, speakers and tags (drafts never appear), search, "
               "and slide decks. JSON over HTTP, CORS open to every site for reads, ETag on every catalogue answer, "
               "cursor pagination with RFC 8288 Link headers.")


def api_rules(app: Flask) -> list[Rule]:
    return sorted((rule for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX + "/")),
                  key=lambda rule: (rule.rule, rule.endpoint))


def documented_methods(rule: Rule) -> list[str]:
    return sorted(method.lower() for method in rule.methods - UNDOCUMENTED_METHODS)


def openapi_path(rule: Rule) -> str:
    """/api/v1/talks/<slug> -> /api/v1/talks/{slug}; <path:name> -> {name}."""
    return VARIABLE.sub(lambda found: "{" + found["name"] + "}", rule.rule)


def _path_parameters(rule: Rule) -> list[dict]:
    return [{"in": "path", "name": found["name"], "required": True,
             "schema": CONVERTER_SCHEMAS.get(found["converter"], {"type": "string"})}
            for found in VARIABLE.finditer(rule.rule)]


def operation_for(app: Flask, rule: Rule) -> dict | None:
    return operation_of(app.view_functions[rule.endpoint]) or OPERATIONS.get(rule.endpoint)


def _with_path_parameters(operation: dict, rule: Rule) -> dict:
    parameters = [*operation.get("parameters", []), *_path_parameters(rule)]
    return {**operation, "operationId": rule.endpoint.replace(".", "_"), "parameters": parameters}


def build_document(app: Flask) -> dict:
    spec = APISpec(title=f"{app.config['SITE_NAME']} API", version="1", openapi_version=OPENAPI_VERSION,
                   plugins=[MarshmallowPlugin()], info={"description": DESCRIPTION},
                   servers=[{"url": app.config["SITE_URL"].rstrip("/")}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for rule in api_rules(app):
        operation = operation_for(app, rule)
        if operation is not None:
            operations = {method: _with_path_parameters(operation, rule) for method in documented_methods(rule)}
            spec.path(path=openapi_path(rule), operations=operations)
    return spec.to_dict()
