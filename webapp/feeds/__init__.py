from flask import Blueprint

bp = Blueprint("feeds", __name__)

from webapp.feeds import views  # noqa: E402,F401
