"""The workspace shell: the dashboard and the audit log at /manage.

The `manage` blueprint and its guard (organisers and admins only) live in webapp/core/blueprints.py,
since the catalogue's and the statistics' workspace pages hang on it too. The layout every
workspace page extends is webapp/templates/manage/base.html. journal.py says how the audit
entries read there: links to what changed, fields and values in the reader's language.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    """Routes only: the workspace blueprint is shared and registered with the others."""
    from webapp.manage import views  # noqa: F401
