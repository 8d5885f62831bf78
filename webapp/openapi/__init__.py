"""The OpenAPI 3.1 document of the JSON API, at /api/v1/openapi.json, generated from the app's routes
and the marshmallow schemas their views are described with (document.py)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.openapi import views  # noqa: F401  (the route, on the shared `api` blueprint)
