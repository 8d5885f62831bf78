"""The /search page (endpoint search.results)."""
from flask import Blueprint

bp = Blueprint("search", __name__)

from webapp.search import views  # noqa: E402,F401
