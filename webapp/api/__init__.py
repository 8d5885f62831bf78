"""The public JSON API (/api/v1): GET only, so exempt from CSRF."""
from flask import Blueprint

from webapp.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from webapp.api import views  # noqa: E402,F401
