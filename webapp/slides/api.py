"""GET/POST /api/v1/talks/<slug>/slides: a talk's slide decks, and uploads by organisers' tokens.

GET lists them with their status, for scripts and for the pages that poll while a deck is
processed: "stage" (waiting, converting, ready, failed), "pages_done" and "status_text" (for
people, in the request's language) beside "status".

POST takes a multipart field `file` (and optionally `licence`: one of the licences of
webapp/core/licences.py, such as CC-BY-4.0; by default the talk's) with
`Authorization: Bearer <token>` of an organiser or admin; session cookies are not accepted here,
as the API is exempt from CSRF. It answers 202 with the new deck while it is processed in the
background (200-page decks never block the request), or 201 for a Keynote deck, which is stored
as a download only and ready at once. Refusals: {"error": code, "message": text} with
400 (no file field, bad licence), 401 (no or bad token), 403 (not an organiser), 404 (no such
talk), 409 (concurrent upload), 413 (too large), 415 (not a slide deck), 422 (empty, damaged,
truncated, encrypted PDF, zip bomb, too many pages).
"""
from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.core.access import load_user_from_bearer_token
from webapp.core.blueprints import api_bp as bp
from webapp.core.licences import normalise_licence
from webapp.core.speaker_access import can_upload_for_talk
from webapp.core.visibility import is_public_talk
from webapp.extensions import db
from webapp.models import DeckStatus, SlideDeck, Talk, User
from webapp.slides.operations import SlideUploadError, attach_slides, list_decks, too_large_error
from webapp.slides.queries import DeckVersion, describe_versions
from webapp.slides.template_helpers import deck_status_text


def deck_as_json(version: DeckVersion) -> dict:
    deck = version.deck
    return {"id": deck.id, "version": deck.version, "status": str(deck.status),
            "stage": str(version.stage), "status_text": deck_status_text(version),
            "pages": deck.page_count, "pages_done": version.pages_done, "error": deck.error,
            "kind": str(deck.kind), "size": deck.size, "licence": normalise_licence(deck.licence),
            "is_current": deck.is_current,
            "download_url": url_for("slides.download", deck_id=deck.id,
                                    filename=deck.original_name, _external=True)}


def decks_as_json(decks: list[SlideDeck]) -> list[dict]:
    return [deck_as_json(version) for version in describe_versions(decks)]


def json_error(status: int, code: str, message) -> tuple:
    return jsonify(error=code, message=str(message)), status


def _talk_or_404(slug: str) -> Talk:
    talk = db.session.scalar(select(Talk).where(Talk.slug == slug))
    if talk is None:
        abort(404)
    return talk


def _token_user() -> User | None:
    return load_user_from_bearer_token(request)


def _reader() -> User | None:
    """Reading is safe with a session too (the workspace and the talk page poll while processing)."""
    if current_user.is_authenticated:
        return current_user
    return _token_user()


@bp.get("/talks/<slug>/slides")
def talk_slides(slug: str):
    """The public see the current deck of a public talk; organisers and the talk's own speakers
    (session or token) every version, of drafts too."""
    talk = _talk_or_404(slug)
    user = _reader()
    sees_every_version = user is not None and can_upload_for_talk(user, talk)
    if not sees_every_version and not is_public_talk(talk):
        abort(404)
    return jsonify(decks=decks_as_json(list_decks(talk, include_old_versions=sees_every_version)))


def _refuse_unauthorised(user: User | None):
    if user is None:
        response = json_error(401, "unauthorized", _(
            "Send an API token of an organiser: Authorization: Bearer <token>."))
        return (*response, {"WWW-Authenticate": 'Bearer realm="causeries"'})
    if not user.can_manage:
        return json_error(403, "forbidden", _("Only organisers may upload slides."))
    return None


@bp.post("/talks/<slug>/slides")
def upload_slides(slug: str):
    user = _token_user()
    if (refusal := _refuse_unauthorised(user)) is not None:
        return refusal
    talk = _talk_or_404(slug)
    upload = request.files.get("file")
    if upload is None:
        return json_error(400, "missing_file", _("Send the deck in the multipart field \"file\"."))
    try:
        deck = attach_slides(talk, upload.stream, upload.filename, user, request.form.get("licence"))
    except SlideUploadError as error:
        db.session.rollback()
        return json_error(error.status, error.code, error)
    db.session.commit()
    status = 201 if deck.status == DeckStatus.READY else 202
    return jsonify(decks_as_json([deck])[0]), status, {"Location": url_for("api.talk_slides", slug=slug)}


@bp.errorhandler(RequestEntityTooLarge)
def refuse_too_large(error: RequestEntityTooLarge):
    refusal = too_large_error()
    return json_error(refusal.status, refusal.code, refusal)
