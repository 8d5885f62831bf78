"""Moments, URLs and the upload form of transcripts, for every template (talk page, search, the
talk's workspace page, the speakers' page)."""
from flask import current_app, url_for

from webapp.core.i18n import format_file_size, language_name
from webapp.transcripts import manage_bp as bp
from webapp.transcripts.manage_views import new_upload_form
from webapp.transcripts.queries import talk_transcripts


@bp.app_template_global()
def transcript_clock(seconds: int) -> str:
    """12:34, or 1:02:03 past the hour: the moment of a talk as people read it."""
    minutes, second = divmod(max(0, int(seconds)), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"


@bp.app_template_global()
def transcript_duration(seconds: int) -> str:
    """The ISO 8601 duration of a moment (PT12M34S), for <time datetime>."""
    minutes, second = divmod(max(0, int(seconds)), 60)
    hours, minute = divmod(minutes, 60)
    return f"PT{hours}H{minute}M{second}S" if hours else f"PT{minute}M{second}S"


@bp.app_template_global()
def transcript_url(talk, language: str, extension: str = "vtt") -> str:
    return url_for("transcripts.download", slug=talk.slug, language=language, extension=extension)


@bp.app_template_global()
def transcript_tracks(talk) -> list[dict]:
    """What a video player needs for one <track kind="subtitles"> per transcript of a public talk:
    {"src", "srclang", "label"}, the talk's own language first."""
    return [{"src": transcript_url(talk, transcript.language), "srclang": transcript.language,
             "label": language_name(transcript.language)} for transcript in talk_transcripts(talk)]


@bp.app_template_global()
def transcript_upload_form():
    return new_upload_form()


@bp.app_template_global()
def transcript_max_size() -> str:
    return format_file_size(current_app.config["TRANSCRIPT_MAX_BYTES"])
