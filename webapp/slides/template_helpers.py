"""URLs, figures and the upload form of slide decks, available to every template (talk page,
search, the talk's workspace page, the speakers' page)."""
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from webapp.core.i18n import format_file_size
from webapp.models import DeckKind
from webapp.slides import manage_bp as bp
from webapp.slides.forms import SlideUploadForm
from webapp.slides.queries import DeckStage, DeckVersion

# Endpoints of the slides area (webapp/slides/) and of the API.
DOWNLOAD_ENDPOINT = "slides.download"
PAGE_IMAGE_ENDPOINT = "slides.page_image"
API_LIST_ENDPOINT = "api.talk_slides"
THUMB_WIDTH = 320
DEFAULT_SIZE = (1600, 900)
ALT_TEXT_LIMIT = 150  # characters of a slide's text in its image's alt; the whole text is beside it


@bp.app_template_global()
def slide_download_url(deck) -> str:
    return url_for(DOWNLOAD_ENDPOINT, deck_id=deck.id, filename=deck.original_name)


@bp.app_template_global()
def slide_image_url(deck, number: int, size: str) -> str:
    """size: "thumb" (about 320 px wide) or "large" (about 1600 px)."""
    return url_for(PAGE_IMAGE_ENDPOINT, deck_id=deck.id, number=number, size=size)


@bp.app_template_global()
def slides_api_url(talk) -> str:
    return url_for(API_LIST_ENDPOINT, slug=talk.slug)


def _page_size(page) -> tuple[int, int]:
    if page.width and page.height:
        return page.width, page.height
    return DEFAULT_SIZE


@bp.app_template_global()
def thumb_width(page) -> int:
    return THUMB_WIDTH


@bp.app_template_global()
def thumb_height(page) -> int:
    width, height = _page_size(page)
    return max(1, round(THUMB_WIDTH * height / width))


@bp.app_template_global()
def max_upload_size() -> str:
    """The upload limit, written for people: "100 MB" / "100 Mo"."""
    return format_file_size(current_app.config["SLIDES_MAX_BYTES"])


@bp.app_template_global()
def slide_upload_form() -> SlideUploadForm:
    """A new upload form, for the pages that show a talk's decks (the talk's workspace page)."""
    return SlideUploadForm(formdata=None)


def short_text(text: str | None, limit: int = ALT_TEXT_LIMIT) -> str:
    """The text on one line, cut at the last whole word before limit characters ('…' marks the cut)."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    cut = words[:limit].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(" ,;:.") + "…"


@bp.app_template_global()
def slide_alt(page, total: int) -> str:
    """A slide image's text alternative: its place, then its own text ('Slide 3 of 12: Seed libraries…')."""
    text = short_text(page.text)
    if not text:
        return _("Slide %(number)s of %(total)s", number=page.number, total=total)
    return _("Slide %(number)s of %(total)s: %(text)s", number=page.number, total=total, text=text)


def _slide_count(count: int) -> str:
    return ngettext("%(num)d slide", "%(num)d slides", count)


@bp.app_template_global()
def deck_status_text(version: DeckVersion) -> str:
    """'Waiting to be converted', 'Converting: 3 slides ready', 'Ready — 12 slides', 'Failed: why'."""
    deck = version.deck
    if version.stage == DeckStage.WAITING:
        return _("Waiting to be converted")
    if version.stage == DeckStage.CONVERTING:
        return (_("Converting: %(slides)s ready", slides=_slide_count(version.pages_done))
                if version.pages_done else _("Converting…"))
    if version.stage == DeckStage.FAILED:
        return _("Failed: %(reason)s", reason=deck.error) if deck.error else _("Failed")
    if deck.kind == DeckKind.KEY:
        return _("Ready (download only)")
    return _("Ready — %(slides)s", slides=_slide_count(deck.page_count)) if deck.page_count else _("Ready")
