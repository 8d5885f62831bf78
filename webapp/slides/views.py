"""Serving stored slide files: downloads and page images.

The public sees the current deck of a public talk; organisers and the talk's own speakers see
every version. Anything else is a 404 (a draft's slides do not reveal that the draft exists).
Downloads are attachments that no browser will render: Content-Disposition attachment with the sanitised original name
(RFC 6266 filename*), X-Content-Type-Options: nosniff and Content-Security-Policy: default-src 'none'.
"""
from urllib.parse import urlsplit

from flask import abort, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.core.counting import count_hit
from webapp.core.speaker_access import can_upload_for_talk
from webapp.core.storage import get_file_store, protect_stored_file
from webapp.core.visibility import is_public_talk
from webapp.extensions import csrf, db
from webapp.models import DeckKind, SlideDeck, SlidePage
from webapp.models.stats import Metric
from webapp.slides import bp

DOWNLOAD_TYPES = {
    DeckKind.PDF: "application/pdf",
    DeckKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    DeckKind.ODP: "application/vnd.oasis.opendocument.presentation",
    DeckKind.KEY: "application/vnd.apple.keynote",
}
IMAGE_SIZES = {"thumb": "thumb_key", "large": "image_key"}


def _is_public(deck: SlideDeck) -> bool:
    return deck.is_current and is_public_talk(deck.talk)


def visible_deck_or_404(deck_id: int) -> tuple[SlideDeck, bool]:
    """The deck if the current visitor may see it, and whether it is public."""
    deck = db.session.get(SlideDeck, deck_id)
    if deck is None:
        abort(404)
    is_public = _is_public(deck)
    if not is_public and not can_upload_for_talk(current_user, deck.talk):
        abort(404)  # organisers, and the talk's own speakers (webapp/core/speaker_access.py)
    return deck, is_public


def _stored_path_or_404(key: str | None):
    path = get_file_store().path_for(key) if key else None
    if path is None or not path.is_file():
        abort(404)
    return path


@bp.get("/slides/<int:deck_id>/<path:filename>")
def download(deck_id: int, filename: str):
    deck, is_public = visible_deck_or_404(deck_id)
    if filename != deck.original_name:
        return redirect(url_for("slides.download", deck_id=deck.id,
                                filename=deck.original_name), code=308)
    response = send_file(_stored_path_or_404(deck.storage_key), mimetype=DOWNLOAD_TYPES[deck.kind],
                         as_attachment=True, download_name=deck.original_name,
                         etag=deck.sha256, conditional=True, max_age=None)
    if is_public and response.status_code == 200:  # not 304 revalidations nor 206 ranges
        count_hit(Metric.DECK_DOWNLOAD, deck.id)
    return protect_stored_file(response, is_public)


def _image_type(path) -> str:
    with open(path, "rb") as file:
        head = file.read(12)
    return "image/webp" if head[8:12] == b"WEBP" else "image/png"


@bp.get("/slides/<int:deck_id>/pages/<int:number>/<size>.webp")
def page_image(deck_id: int, number: int, size: str):
    if size not in IMAGE_SIZES:
        abort(404)
    deck, is_public = visible_deck_or_404(deck_id)
    page = db.session.scalar(db.select(SlidePage).where(SlidePage.deck_id == deck.id,
                                                         SlidePage.number == number))
    key = getattr(page, IMAGE_SIZES[size]) if page is not None else None
    path = _stored_path_or_404(key)
    response = send_file(path, mimetype=_image_type(path), etag=key, conditional=True,
                         max_age=None)
    return protect_stored_file(response, is_public)


# --- slide pages viewed --------------------------------------------------------------------------
# slide_views.js posts here with navigator.sendBeacon when the viewer shows a page. Exempt from
# CSRF tokens on purpose: a token needs a session cookie, and counting must set none; the request
# changes nothing but an anonymous counter, and other sites are refused by the same-origin check.

def _is_same_origin() -> bool:
    """Browsers send Sec-Fetch-Site, or at least Origin, with every POST."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc == request.host


def _page_number_or_400(deck: SlideDeck) -> int:
    raw = request.form.get("page", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 0
    if not 1 <= number <= (deck.page_count or 0):
        abort(400, description=_("There is no such slide in this deck."))
    return number


@bp.post("/slides/<int:deck_id>/views")
@csrf.exempt
def page_viewed(deck_id: int):
    if not _is_same_origin():
        abort(403)
    deck, is_public = visible_deck_or_404(deck_id)
    if not is_public:
        abort(404)
    count_hit(Metric.SLIDE_PAGE_VIEW, deck.id, _page_number_or_400(deck))
    return "", 204
