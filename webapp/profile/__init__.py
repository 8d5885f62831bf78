"""Speakers keep their own profile: claiming an invitation, the /profile editor, photos, and the
slides of their own talks. Who may edit what is decided in webapp/services/speaker_access.py."""
from flask import Blueprint, request

bp = Blueprint("profile", __name__)

PUBLIC_ENDPOINTS = {"profile.photo"}


@bp.after_request
def _private(response):
    """Profile pages and invitation links are never cached, nor leaked as a referrer."""
    if request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


from webapp.profile import template_helpers, views, views_claim, views_slides  # noqa: E402,F401
