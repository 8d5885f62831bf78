"""GET/POST /manage/talks/<id>/slides: upload a deck (form or XMLHttpRequest) and list its versions.

The page posts normally without JavaScript (303 to itself, or the page again with the reason and
the right 4xx); slides.js posts the same form with XMLHttpRequest to show upload progress and gets
JSON back: 202 with the deck, or {"error", "message"} with the same status codes as the API.
"""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.extensions import db
from webapp.models import Talk
from webapp.slides import manage_bp as bp
from webapp.slides.api import deck_as_json
from webapp.slides.forms import SlideUploadForm, default_licence
from webapp.slides.operations import SlideUploadError, attach_slides, list_decks
from webapp.slides.template_helpers import max_upload_size, slides_api_url


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _page_url(talk: Talk) -> str:
    """This page's address: the organisers' one, or the one the request came to (a speaker's)."""
    if request.endpoint and request.endpoint != "manage_slides.talk_slides" and request.view_args:
        return url_for(request.endpoint, **request.view_args)
    return url_for("manage_slides.talk_slides", talk_id=talk.id)


def _render_page(talk: Talk, form: SlideUploadForm, error: str | None = None, status: int = 200):
    return render_template("slides/upload.html", talk=talk, form=form, error=error, upload_action=_page_url(talk),
                           versions=list_decks(talk, include_old_versions=True)), status


def _refuse(talk: Talk, form: SlideUploadForm, status: int, error_name: str, message: str):
    db.session.rollback()
    if _wants_json():
        return jsonify(error=error_name, message=message), status
    return _render_page(talk, form, message, status)


def _form_errors(form: SlideUploadForm) -> str:
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def _accepted(talk: Talk, deck):
    message = _("The file was uploaded. The slides are being processed.")
    if _wants_json():
        return jsonify(message=message, deck=deck_as_json(deck), poll_url=slides_api_url(talk),
                       redirect=_page_url(talk)), 202
    flash(message)
    return redirect(_page_url(talk), code=303)


@bp.errorhandler(RequestEntityTooLarge)
def refuse_too_large(error: RequestEntityTooLarge):
    """Werkzeug refuses a body over MAX_CONTENT_LENGTH while reading it (often in the CSRF check)."""
    talk = db.get_or_404(Talk, (request.view_args or {}).get("talk_id"))
    message = _("The file is larger than the limit of %(limit)s.", limit=max_upload_size())
    return _refuse(talk, SlideUploadForm(formdata=None), 413, "too_large", message)


@bp.route("/manage/talks/<int:talk_id>/slides", methods=["GET", "POST"])
def talk_slides(talk_id: int):
    return slide_upload_page(db.get_or_404(Talk, talk_id))


def slide_upload_page(talk: Talk):
    """GET shows the page, POST uploads; shared with speakers' own page (webapp/profile/)."""
    form = SlideUploadForm(licence=default_licence(talk.licence))
    if request.method == "GET":
        return _render_page(talk, form)
    if not form.validate_on_submit():
        return _refuse(talk, form, 400, "invalid_form", _form_errors(form))
    upload = form.file.data
    try:
        deck = attach_slides(talk, upload.stream, upload.filename, current_user, form.licence.data)
    except SlideUploadError as error:
        return _refuse(talk, form, error.status, error.code, str(error))
    db.session.commit()
    return _accepted(talk, deck)
