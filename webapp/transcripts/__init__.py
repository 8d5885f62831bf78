"""Transcripts and subtitles of talks: WebVTT or SRT files, one per talk and language.

- validation.py: the file read by its content with webvtt-py, checked (text, cues, order, size)
  and normalised: plain cue text, the archive's own WebVTT;
- operations.py (save, delete: audited; the search outbox queues the talk), queries.py (what the
  talk page, the downloads and the search documents read);
- manage_views.py: the "Transcripts" section of a talk's workspace page, posted to
  /manage/talks/<id>/transcripts (blueprint manage_transcripts, organisers);
- profile_views.py: the same section on a page of a speaker's own talk (/profile/talks/<id>/transcripts);
- views.py: /talks/<slug>/transcripts/<lang>.vtt (text/vtt, for a <track>) and .srt, public talks only;
- template_helpers.py: moments, download and track URLs, the upload form, for every template.
The talk page shows each transcript cue by cue (static/js/transcripts.js: a timestamp seeks the
video player through a `causeries:seek` event when the page has one).
"""
from flask import Blueprint, Flask

from webapp.core.access import can_manage, require_audience

bp = Blueprint("transcripts", __name__)
manage_bp = Blueprint("manage_transcripts", __name__)
require_audience(manage_bp, can_manage)


def init_app(app: Flask) -> None:
    """The downloads, the workspace and profile uploads, and the audit journal's labels."""
    from flask_babel import lazy_gettext as _l

    from webapp.core.audit import register_field_labels
    from webapp.transcripts import manage_views, profile_views, template_helpers, views  # noqa: F401

    app.register_blueprint(bp)
    app.register_blueprint(manage_bp)
    labels = {f"transcript_{language}": _l("Transcript (%(language)s)", language=language)
              for language in app.config["LANGUAGES"]}
    register_field_labels(app, {"talk": labels})
