"""Accounts: logging in and out, password reset. Access rules live in access.py."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from webapp.auth import views  # noqa: E402,F401
