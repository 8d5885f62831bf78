"""oEmbed 1.0 (https://oembed.com): the request's parameters, the frame's size, the answer.

The `url` parameter must be the address of a talk page (or of its embedded viewer) under SITE_URL,
http or https; the site's own URL map reads its path, so a fragment (#slide-3) or a query string
does not matter. Any other host, or a page that is not a public talk with slides, is a 404.
`format` is json (the default); xml, which the specification lets providers refuse, is a 501.
`maxwidth` and `maxheight` are whole numbers of CSS pixels; the frame never exceeds them, and the
first slide's thumbnail is left out when it would. The answer is `application/json`, the type the
specification gives JSON answers (`application/json+oembed` is only the discovery link's type).
"""
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from babel.lists import format_list
from flask import abort, current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from webapp.core.naming import SLUG_COLUMN_LENGTH
from webapp.core.params import single_arg
from webapp.models import Talk
from webapp.slides.queries import CurrentSlides

TALK_PAGE_ENDPOINTS = ("public.talk", "embeds.talk")
MAX_URL_CHARS = 2000
MAX_SIZE_DIGITS = 5
DEFAULT_WIDTH = 640
MIN_WIDTH = 240
# What the viewer shows around the slide (title, speakers, controls, the strip of thumbnails, the
# text view's summary and the link back), in CSS pixels at the embed page's widths.
CHROME_HEIGHT = 330
THUMB_WIDTH = 320
DEFAULT_PAGE_SIZE = (1600, 900)
CACHE_AGE = 3600


@dataclass(frozen=True)
class Request:
    url: str
    maxwidth: int | None
    maxheight: int | None


def _size_arg(name: str) -> int | None:
    raw = single_arg(name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        abort(400, description=_("“%(name)s” must be a whole number of pixels from 1, such as 640.", name=name))
    return int(raw) if len(raw.lstrip("0")) <= MAX_SIZE_DIGITS else None  # beyond: no limit in practice


def _format_arg() -> None:
    format_ = (single_arg("format") or "json").lower()
    if format_ == "xml":
        abort(501, description=_("This archive answers oEmbed requests in JSON only: use format=json."))
    if format_ != "json":
        abort(400, description=_("“format” must be json (or left out)."))


def _url_arg() -> str:
    url = single_arg("url")
    if not url:
        abort(400, description=_("The “url” parameter is missing: give the address of a talk page."))
    parts = urlsplit(url)
    if len(url) > MAX_URL_CHARS or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        abort(400, description=_("“url” must be the full address of a talk page, starting with https:// or http://."))
    return url


def read_request() -> Request:
    """The oEmbed request of the query string; a missing or bad parameter is a 400, XML a 501."""
    _format_arg()
    return Request(_url_arg(), _size_arg("maxwidth"), _size_arg("maxheight"))


def talk_slug_of(url: str) -> str | None:
    """The slug of the talk page (or embedded viewer) at this address of the site, else None."""
    site, parts = urlsplit(current_app.config["SITE_URL"]), urlsplit(url)
    if parts.netloc.lower() != site.netloc.lower():
        return None
    adapter = current_app.url_map.bind(site.netloc, url_scheme=site.scheme)
    try:
        endpoint, values = adapter.match(unquote(parts.path) or "/", method="GET")
    except HTTPException:  # not found, or a RequestRedirect (a missing or extra slash)
        return None
    slug = values.get("slug") if endpoint in TALK_PAGE_ENDPOINTS else None
    return slug if slug and len(slug) <= SLUG_COLUMN_LENGTH else None


def _page_ratio(slides: CurrentSlides) -> float:
    page = slides.pages[0]
    width, height = (page.width, page.height) if page.width and page.height else DEFAULT_PAGE_SIZE
    return height / width


def frame_size(slides: CurrentSlides, maxwidth: int | None = None, maxheight: int | None = None) -> tuple[int, int]:
    """(width, height) of the frame: DEFAULT_WIDTH wide, tall enough for the slide and the viewer
    around it; narrower when maxheight asks, and never more than maxwidth or maxheight."""
    ratio = _page_ratio(slides)
    width = min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH)
    if maxheight:
        width = min(width, max(MIN_WIDTH, int((maxheight - CHROME_HEIGHT) / ratio)))
    width = min(width, maxwidth or width)
    height = CHROME_HEIGHT + round(width * ratio)
    return width, min(height, maxheight or height)


def talk_page_url(talk: Talk) -> str:
    return url_for("public.talk", slug=talk.slug, _external=True)


def embed_url(talk: Talk) -> str:
    return url_for("embeds.talk", slug=talk.slug, _external=True)


def iframe_html(talk: Talk, width: int, height: int) -> str:
    """The embed code: an iframe of the viewer, without inline style (the host page's policy may
    forbid it)."""
    return render_template("embeds/iframe.html", src=embed_url(talk), width=width, height=height,
                           title=_("Slides: %(title)s", title=talk.title)).strip()


def speaker_names(talk: Talk) -> str:
    names = [speaker.name for speaker in talk.speakers]
    return format_list(names, locale=str(get_locale())) if names else ""


def _thumbnail(slides: CurrentSlides, maxwidth: int | None, maxheight: int | None) -> dict:
    """The first slide's thumbnail, unless it is larger than the consumer allows."""
    first = slides.pages[0]
    if not first.thumb_key:
        return {}
    height = max(1, round(THUMB_WIDTH * _page_ratio(slides)))
    if THUMB_WIDTH > (maxwidth or THUMB_WIDTH) or height > (maxheight or height):
        return {}
    url = url_for("slides.page_image", deck_id=slides.deck.id, number=first.number, size="thumb", _external=True)
    return {"thumbnail_url": url, "thumbnail_width": THUMB_WIDTH, "thumbnail_height": height}


def _author(talk: Talk) -> dict:
    speakers = talk.speakers
    if not speakers:
        return {}
    author = {"author_name": speaker_names(talk)}
    if len(speakers) == 1:
        author["author_url"] = url_for("public.speaker", slug=speakers[0].slug, _external=True)
    return author


def answer(talk: Talk, slides: CurrentSlides, request: Request) -> dict:
    """The oEmbed answer of type "rich" for a talk's slides."""
    width, height = frame_size(slides, request.maxwidth, request.maxheight)
    return {
        "version": "1.0",
        "type": "rich",
        "title": talk.title,
        **_author(talk),
        "provider_name": current_app.config["SITE_NAME"],
        "provider_url": url_for("public.home", _external=True),
        "cache_age": CACHE_AGE,
        "html": iframe_html(talk, width, height),
        "width": width,
        "height": height,
        **_thumbnail(slides, request.maxwidth, request.maxheight),
    }
