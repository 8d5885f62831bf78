"""The JSON API (/api/v1), exempt from CSRF: reads, and slide uploads authenticated by bearer
tokens only (webapp/api/slides.py), never by the session cookie."""
from flask import Blueprint

from webapp.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from webapp.api import slides, views  # noqa: E402,F401
