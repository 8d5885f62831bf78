"""/manage/talks/<id>/transcripts: the upload form of the "Transcripts" section of a talk's workspace page.

The talk's transcripts are listed on its own workspace page (manage.talk_edit, #transcripts), so
GET sends there. The form posts here: 303 back to that section, or, when the file is refused, the
section again with the reason and the right 4xx (400 form, 413 too large, 422 not a usable
transcript). Who may post and how large the body may be are checked before it is read
(`checked_before_body`); CSRF on every form.

upload_transcript and remove_transcript serve the speakers' page too (profile_views.py); a
TranscriptsPage says where the section is.
"""
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.core.access import checked_before_body
from webapp.core.forms import ConfirmForm
from webapp.core.workspace import get_or_404
from webapp.extensions import db
from webapp.models import Talk
from webapp.transcripts import manage_bp as bp
from webapp.transcripts.forms import TranscriptUploadForm
from webapp.transcripts.operations import (
    TranscriptError,
    delete_transcript,
    save_transcript,
    too_large_error,
    transcript_languages,
)
from webapp.transcripts.queries import talk_transcripts

FORM_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries, the CSRF token and the language


@dataclass(frozen=True)
class TranscriptsPage:
    """Where a talk's transcripts are shown to the person uploading them."""

    template: str  # the page that shows the section when an upload is refused
    home_url: str  # where the section lives: a done upload or deletion goes back there
    action_url: str  # where the upload form posts
    delete_endpoint: str  # the endpoint deleting one language's transcript (talk_id, language)
    shows_uploader: bool = False  # who uploaded each transcript (organisers only)


@bp.app_template_global()
def workspace_transcripts_page(talk: Talk) -> TranscriptsPage:
    return TranscriptsPage("transcripts/manage_upload.html",
                           url_for("manage.talk_edit", talk_id=talk.id, _anchor="transcripts"),
                           url_for("manage_transcripts.upload", talk_id=talk.id), "manage_transcripts.delete",
                           shows_uploader=True)


def limit_body() -> None:
    """Before the body is read: Werkzeug refuses more than the file limit plus the form while
    reading it (413), and a Content-Length already over it is refused at once."""
    max_bytes = current_app.config["TRANSCRIPT_MAX_BYTES"]
    request.max_content_length = max_bytes + FORM_OVERHEAD_BYTES
    if request.content_length is not None and request.content_length > request.max_content_length:
        abort(413, description=str(too_large_error(max_bytes)))


def workspace_talk_or_abort(talk_id: int, **_values) -> Talk:
    talk = get_or_404(Talk, talk_id)
    limit_body()
    return talk


def new_upload_form(from_request: bool = False) -> TranscriptUploadForm:
    """The upload form, filled from the request's body or empty."""
    kwargs = {} if from_request else {"formdata": None}
    return TranscriptUploadForm(languages=transcript_languages(), **kwargs)


def render_transcripts_page(talk: Talk, page: TranscriptsPage, form: TranscriptUploadForm,
                            error: str | None = None, status: int = 200):
    return render_template(page.template, talk=talk, page=page, form=form, error=error,
                           transcripts=talk_transcripts(talk)), status


def _form_errors(form: TranscriptUploadForm) -> str:
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def _refuse(talk: Talk, page: TranscriptsPage, form: TranscriptUploadForm, status: int, message: str):
    db.session.rollback()
    return render_transcripts_page(talk, page, form, message, status)


def upload_transcript(talk: Talk, page: TranscriptsPage):
    """POST: check the form, read and save the file, commit; or refuse it, keeping nothing."""
    form = new_upload_form(from_request=True)
    if not form.validate_on_submit():
        return _refuse(talk, page, form, 400, _form_errors(form))
    upload = form.file.data
    try:
        transcript = save_transcript(talk, form.language.data, upload.stream, upload.filename, current_user)
    except TranscriptError as error:
        return _refuse(talk, page, form, error.status, str(error))
    db.session.commit()
    flash(_("The transcript was saved: %(count)d cues.", count=transcript.cue_count))
    return redirect(page.home_url, code=303)


def remove_transcript(talk: Talk, page: TranscriptsPage, language: str):
    """POST: delete one language's transcript (CSRF checked), commit, back to the section."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not delete_transcript(talk, language, current_user):
        abort(404)
    db.session.commit()
    flash(_("The transcript was deleted."))
    return redirect(page.home_url, code=303)


@bp.errorhandler(RequestEntityTooLarge)
def refuse_too_large(_error: RequestEntityTooLarge):
    """Werkzeug refuses a body over the limit while reading it (often in the CSRF check)."""
    talk = get_or_404(Talk, (request.view_args or {}).get("talk_id"))
    message = str(too_large_error(current_app.config["TRANSCRIPT_MAX_BYTES"]))
    return _refuse(talk, workspace_transcripts_page(talk), new_upload_form(), 413, message)


@bp.route("/manage/talks/<int:talk_id>/transcripts", methods=["GET", "POST"])
@checked_before_body(workspace_talk_or_abort)
def upload(talk_id: int):
    talk = get_or_404(Talk, talk_id)
    page = workspace_transcripts_page(talk)
    if request.method == "GET":
        return redirect(page.home_url, code=302)  # the transcripts are on the talk's own page
    return upload_transcript(talk, page)


@bp.post("/manage/talks/<int:talk_id>/transcripts/<language>/delete")
@checked_before_body(workspace_talk_or_abort)
def delete(talk_id: int, language: str):
    talk = get_or_404(Talk, talk_id)
    return remove_transcript(talk, workspace_transcripts_page(talk), language)
