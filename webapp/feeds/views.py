"""Syndication: Atom feeds, event calendars, the sitemap and robots.txt.

Endpoint names are linked from the public pages: keep them. Every answer carries an ETag (a
hash of the body) and Last-Modified, and a matching conditional request gets a 304.
"""
from datetime import datetime

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from webapp.catalogue.queries import public_or_moved, public_tag_or_moved
from webapp.feeds import bp, sitemaps, syndication
from webapp.paths.queries import public_path_or_404

CACHE_SECONDS = 600
# Pages not worth a crawler's time: management, the API, search results, language switches.
DISALLOWED_PATHS = ("/manage/", "/api/", "/search", "/lang/")


def _conditional(body: bytes | str, mimetype: str, updated_at: datetime | None = None):
    response = current_app.response_class(body, mimetype=mimetype)
    if updated_at is not None:
        response.last_modified = updated_at
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response.make_conditional(request)


def _atom(feed: syndication.Syndicated):
    return _conditional(feed.body, syndication.ATOM_MIMETYPE, feed.updated_at)


@bp.get("/feeds/talks.atom")
def all_talks():
    return _atom(syndication.latest_talks_feed())


@bp.get("/tags/<path:tag>/feed.atom")
def tag_feed(tag: str):
    return _atom(syndication.tag_feed(public_tag_or_moved(tag, "feeds.tag_feed")))


@bp.get("/events/<slug>/feed.atom")
def event_feed(slug: str):
    return _atom(syndication.event_feed(public_or_moved("event", slug, "feeds.event_feed")))


@bp.get("/speakers/<slug>/feed.atom")
def speaker_feed(slug: str):
    speaker = public_or_moved("speaker", slug, "feeds.speaker_feed")
    return _atom(syndication.speaker_feed(speaker))


@bp.get("/paths/<slug>/feed.atom")
def path_feed(slug: str):
    return _atom(syndication.path_feed(public_path_or_404(slug)))


@bp.get("/events/<slug>/calendar.ics")
def event_calendar(slug: str):
    event = public_or_moved("event", slug, "feeds.event_calendar")
    calendar = syndication.event_calendar(event)
    if calendar is None:
        abort(404, description=_("This event has no dates yet, so there is no calendar for it."))
    response = _conditional(calendar.body, syndication.CALENDAR_MIMETYPE, calendar.updated_at)
    response.headers["Content-Disposition"] = f'inline; filename="{event.slug}.ics"'
    return response


def _urlset(links: list[sitemaps.SitemapLink]):
    updated_at = max((link.lastmod for link in links if link.lastmod), default=None)
    body = render_template("feeds/urlset.xml", links=links)
    return _conditional(body, "application/xml", updated_at)


def _sitemap_page_size() -> int:
    return max(1, current_app.config["SITEMAP_PAGE_SIZE"])


@bp.get("/sitemap.xml")
def sitemap():
    counts = sitemaps.count_sitemap_links()
    if not sitemaps.needs_sitemap_index(counts, _sitemap_page_size()):
        return _urlset(list(sitemaps.all_sitemap_links()))
    parts = sitemaps.sitemap_parts(counts, _sitemap_page_size())
    return _conditional(render_template("feeds/sitemap_index.xml", parts=parts), "application/xml")


@bp.get("/sitemaps/<kind>-<int:page>.xml")
def sitemap_page(kind: str, page: int):
    if kind not in sitemaps.SITEMAP_KINDS or page < 1:
        abort(404)
    if page > sitemaps.page_count(sitemaps.count_links_of(kind), _sitemap_page_size()):
        abort(404)
    return _urlset(list(sitemaps.sitemap_page_links(kind, page, _sitemap_page_size())))


@bp.get("/robots.txt")
def robots():
    body = render_template("feeds/robots.txt", disallowed=DISALLOWED_PATHS)
    return _conditional(body, "text/plain")
