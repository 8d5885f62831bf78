"""The blueprints that several features hang routes on; each feature registers its own others.

- `manage` (/manage): the organisers' workspace. Every route is for organisers and admins only:
  the guard runs before any view (catalogue, stats and the dashboard add their pages).
- `profile`: a speaker's own pages (the profile feature) and the slides of their talks (slides).
- `api` (/api/v1): the JSON API, exempt from CSRF: reads (search), and slide uploads (slides)
  authenticated by bearer tokens only, never by the session cookie; the catalogue's reads
  (webapp/catalogue/api/). Any site may read it: CORS for GET (webapp/core/json_api.py).

They are registered on the app by `register_shared_blueprints`, after every feature has added
its routes.
"""
from flask import Blueprint, Flask, request

from webapp.core.access import can_manage, require_audience
from webapp.core.json_api import allow_cross_origin_reads
from webapp.extensions import csrf

manage_bp = Blueprint("manage", __name__, url_prefix="/manage")
profile_bp = Blueprint("profile", __name__)
api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)
allow_cross_origin_reads(api_bp)

PUBLIC_PROFILE_ENDPOINTS = {"profile.photo"}


require_audience(manage_bp, can_manage)  # speakers get a 403, anonymous visitors the login page


@profile_bp.after_request
def _private(response):
    """Profile pages and invitation links are never cached, nor leaked as a referrer."""
    if request.endpoint not in PUBLIC_PROFILE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def register_shared_blueprints(app: Flask) -> None:
    for blueprint in (manage_bp, profile_bp, api_bp):
        app.register_blueprint(blueprint)
