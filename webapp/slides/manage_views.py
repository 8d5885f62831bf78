"""/manage/talks/<id>/slides: the upload form of the "Slides" section of a talk's workspace page.

A talk's decks are listed on its own workspace page (manage.talk_edit, #slides), so GET sends
there. The form posts here, and normally without JavaScript: 303 back to that section, or, when
the upload is refused, the section again (in the workspace, with a link back to the talk) with
the reason and the right 4xx. slides.js posts the same form with XMLHttpRequest to show upload
progress and gets JSON back: 202 with the deck and its row for the list of versions, or
{"error", "message"} with the same status codes as the API.

upload_deck serves the speakers' page too (profile_views.py); a DecksPage says where it is.
"""
from dataclasses import dataclass

from flask import flash, get_template_attribute, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.core.visibility import is_public_talk
from webapp.extensions import db
from webapp.models import SlideDeck, Talk
from webapp.slides import manage_bp as bp
from webapp.slides.api import deck_as_json
from webapp.slides.forms import SlideUploadForm
from webapp.slides.operations import SlideUploadError, attach_slides
from webapp.slides.queries import deck_versions, describe_versions
from webapp.slides.template_helpers import max_upload_size, slides_api_url


@dataclass(frozen=True)
class DecksPage:
    """Where a talk's decks are shown to the person uploading them."""

    template: str  # the page that shows the section when an upload is refused
    home_url: str  # where the section lives: a successful upload without JavaScript goes back there
    action_url: str  # where the upload form posts
    view_url: str | None  # where the current deck is seen, once ready
    shows_uploader: bool = False  # who uploaded each version (organisers only)


def _public_view_url(talk: Talk) -> str | None:
    return url_for("public.talk", slug=talk.slug, _anchor="slides") if is_public_talk(talk) else None


@bp.app_template_global()
def workspace_decks_page(talk: Talk) -> DecksPage:
    """The "Slides" section of the talk's workspace page (where manage/talk_form.html shows it)."""
    return DecksPage("slides/manage_upload.html", url_for("manage.talk_edit", talk_id=talk.id, _anchor="slides"),
                     url_for("manage_slides.talk_slides", talk_id=talk.id),
                     _public_view_url(talk) or url_for("manage.talk_preview", talk_id=talk.id, _anchor="slides"),
                     shows_uploader=True)


def speaker_decks_page(talk: Talk) -> DecksPage:
    url = url_for("profile.talk_slides", talk_id=talk.id)
    return DecksPage("slides/profile_upload.html", url, url, _public_view_url(talk))


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def render_decks_page(talk: Talk, page: DecksPage, form: SlideUploadForm, error: str | None = None,
                      status: int = 200):
    return render_template(page.template, talk=talk, page=page, form=form, error=error,
                           versions=deck_versions(talk)), status


def _refuse(talk: Talk, page: DecksPage, form: SlideUploadForm, status: int, error_name: str, message: str):
    db.session.rollback()
    if _wants_json():
        return jsonify(error=error_name, message=message), status
    return render_decks_page(talk, page, form, message, status)


def _form_errors(form: SlideUploadForm) -> str:
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def _accepted(talk: Talk, page: DecksPage, deck: SlideDeck):
    message = _("Version %(version)s of the slides was uploaded.", version=deck.version)
    if not _wants_json():
        flash(message)
        return redirect(page.home_url, code=303)
    [version] = describe_versions([deck])
    row = get_template_attribute("slides/_decks.html", "deck_row")(version, page)
    return jsonify(message=message, deck=deck_as_json(version), row=str(row), poll_url=slides_api_url(talk),
                   redirect=page.home_url), 202


@bp.errorhandler(RequestEntityTooLarge)
def refuse_too_large(error: RequestEntityTooLarge):
    """Werkzeug refuses a body over MAX_CONTENT_LENGTH while reading it (often in the CSRF check)."""
    talk = db.get_or_404(Talk, (request.view_args or {}).get("talk_id"))
    message = _("The file is larger than the limit of %(limit)s.", limit=max_upload_size())
    return _refuse(talk, workspace_decks_page(talk), SlideUploadForm(formdata=None), 413, "too_large", message)


@bp.route("/manage/talks/<int:talk_id>/slides", methods=["GET", "POST"])
def talk_slides(talk_id: int):
    talk = db.get_or_404(Talk, talk_id)
    page = workspace_decks_page(talk)
    if request.method == "GET":
        return redirect(page.home_url, code=302)  # the decks are on the talk's own page
    return upload_deck(talk, page)


def upload_deck(talk: Talk, page: DecksPage):
    """POST: validate the form, attach the file, commit; or refuse it, keeping nothing."""
    form = SlideUploadForm()
    if not form.validate_on_submit():
        return _refuse(talk, page, form, 400, "invalid_form", _form_errors(form))
    upload = form.file.data
    try:
        deck = attach_slides(talk, upload.stream, upload.filename, current_user, form.licence.data)
    except SlideUploadError as error:
        return _refuse(talk, page, form, error.status, error.code, str(error))
    db.session.commit()
    return _accepted(talk, page, deck)
