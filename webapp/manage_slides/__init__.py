"""The workspace page of a talk's slide decks: upload (drag and drop, progress bar) and versions.

Also registers the template helpers that build slide file URLs for every template
(public talk page, search results, workspace)."""
from flask import Blueprint

bp = Blueprint("manage_slides", __name__)

from webapp.manage_slides import template_helpers, views  # noqa: E402,F401
