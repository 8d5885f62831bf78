"""Drafts shown exactly as the public will see them, with a banner, never indexed."""
from flask import make_response, render_template

PREVIEW_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store"}


def render_preview(public_template: str, context: dict, back_url: str, note: str = ""):
    """Render a public template around a "preview — not public" banner."""
    response = make_response(render_template(
        "manage/preview.html", public_template=public_template, preview_back_url=back_url,
        preview_status_note=note, **context))
    response.headers.update(PREVIEW_HEADERS)
    return response
