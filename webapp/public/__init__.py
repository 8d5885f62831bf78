from flask import Blueprint

bp = Blueprint("public", __name__)

from webapp.public import template_helpers, views  # noqa: E402,F401
