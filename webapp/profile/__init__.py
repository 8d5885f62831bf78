"""Speakers keep their own profile: claiming an invitation, the /profile editor and photos.

Routes hang on the shared `profile` blueprint (webapp/core/blueprints.py), where the slides feature
adds the page for the slides of a speaker's own talks. Who may edit what is decided in
webapp/core/speaker_access.py.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    """Routes, and the names of the fields the profile editor audits; the profile blueprint is
    shared and registered with the others."""
    from webapp.core.audit import register_field_labels
    from webapp.profile import template_helpers, views, views_claim  # noqa: F401
    from webapp.profile.forms import audit_field_labels

    register_field_labels(app, audit_field_labels())
