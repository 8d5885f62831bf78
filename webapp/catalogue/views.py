"""Public pages. Endpoint names are relied on by feeds, sitemap and search: keep them."""
from itertools import groupby

from flask import abort, current_app, make_response, redirect, render_template, request

from webapp.catalogue import bp
from webapp.catalogue import queries as catalogue
from webapp.catalogue.citation import citable_event, citable_talk, cite_talk, event_meta_tags
from webapp.catalogue.home_queries import home_page
from webapp.catalogue.params import letter_arg, tag_arg
from webapp.catalogue.programme_rows import programme_entries
from webapp.catalogue.queries import public_or_moved, public_tag_or_moved
from webapp.catalogue.video_embeds import player_url, video_embed
from webapp.core.counting import count_hit
from webapp.core.i18n import LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, safe_next_path, supported_locales
from webapp.core.params import ensure_page_in_range, page_arg
from webapp.core.security_headers import allow_frame_sources
from webapp.models import DeckStatus
from webapp.models.stats import Metric
from webapp.slides import queries as slide_catalogue
from webapp.stats.queries import public_view_total
from webapp.transcripts.queries import talk_transcripts, transcript_views


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def _paginate(query_page, *args):
    """Run a catalogue page function with the ?page= argument; out-of-range pages are 404."""
    pagination = query_page(*args, page_arg(), _per_page())
    ensure_page_in_range(pagination)
    return pagination


@bp.get("/")
def home():
    return render_template("public/home.html", home=home_page())


@bp.get("/events/")
def events():
    tag = tag_arg()
    if tag:
        pagination = _paginate(catalogue.tag_events_page, tag)
        years = []  # the years of the whole archive would not lead to this tag's events
    else:
        pagination, years = _paginate(catalogue.events_page), catalogue.event_years()
    by_year = [(year, list(items)) for year, items in
               groupby(pagination.items, key=lambda e: e.start_date.year if e.start_date else None)]
    return render_template("public/events.html", pagination=pagination, by_year=by_year, years=years, tag=tag)


@bp.get("/events/<int:year>/")
def events_year(year: int):
    if not 1 <= year <= 9999:
        abort(404)
    pagination = _paginate(catalogue.events_of_year_page, year)
    if not pagination.total:
        abort(404)
    return render_template("public/events_year.html", year=year, pagination=pagination,
                           years=catalogue.event_years())


def event_page_context(found, preview: bool = False) -> dict:
    """What public/event.html needs; the workspace preview of a draft uses it too."""
    meta_tags = event_meta_tags(citable_event(found), current_app.config["SITE_NAME"])
    return {"event": found, "programme": programme_entries(found, preview), "is_preview": preview,
            "citation_meta_tags": meta_tags}


def talk_page_context(found, preview: bool = False) -> dict:
    """What public/talk.html needs; the workspace preview of a draft uses it too."""
    slides = slide_catalogue.current_slides(found)
    ready_deck = slides.deck if slides and slides.deck.status == DeckStatus.READY else None
    video = video_embed(found.video_url)
    if video:  # this page alone may frame the player, once the visitor asks for it
        allow_frame_sources(*video.frame_sources)
    return {
        "talk": found,
        "video": video,
        "video_player_url": video and player_url(video, video.start_seconds),
        "citation": cite_talk(citable_talk(found, ready_deck)),
        "programme": catalogue.programme_neighbours(found, preview),
        "series": catalogue.series_neighbours(found, preview),
        "slides": slides,
        "transcripts": transcript_views(talk_transcripts(found)),
        "view_total": public_view_total(found),
        "is_preview": preview,  # a draft's preview counts nothing (slide views answer 404 there)
    }


def counted(page: str, metric: Metric, object_id: int) -> str:
    """The rendered public page, after counting the view (only pages that rendered count)."""
    count_hit(metric, object_id)
    return page


@bp.get("/events/<slug>")
def event(slug: str):
    found = public_or_moved("event", slug, "public.event")
    return counted(render_template("public/event.html", **event_page_context(found)),
                   Metric.EVENT_VIEW, found.id)


@bp.get("/talks/<slug>")
def talk(slug: str):
    found = public_or_moved("talk", slug, "public.talk")
    return counted(render_template("public/talk.html", **talk_page_context(found)),
                   Metric.TALK_VIEW, found.id)


@bp.get("/speakers/")
def speakers():
    letter = letter_arg()
    pagination = _paginate(catalogue.speakers_page, letter)
    return render_template("public/speakers.html", pagination=pagination, letter=letter,
                           letters=catalogue.speaker_letters())


@bp.get("/speakers/<slug>")
def speaker(slug: str):
    found = public_or_moved("speaker", slug, "public.speaker")
    pagination = _paginate(catalogue.speaker_talks_page, found)
    return counted(render_template("public/speaker.html", speaker=found, pagination=pagination,
                                   links=catalogue.web_links(found.links)),
                   Metric.SPEAKER_VIEW, found.id)


@bp.get("/tags/")
def tags():
    return render_template("public/tags.html", pagination=_paginate(catalogue.tags_page))


@bp.get("/tags/<path:tag>")
def tag(tag: str):
    found = public_tag_or_moved(tag, "public.tag")
    pagination = _paginate(catalogue.tag_talks_page, found)
    return counted(render_template("public/tag.html", tag=found, pagination=pagination,
                                   events=catalogue.tag_events(found)),
                   Metric.TAG_VIEW, found.id)


@bp.get("/lang/<code>")
def set_language(code: str):
    """The language switcher: remember the choice, go back to a local page (never elsewhere)."""
    if code not in supported_locales():
        abort(404)
    response = make_response(redirect(safe_next_path(request.args.get("next"))))
    response.set_cookie(LOCALE_COOKIE, code, max_age=LOCALE_COOKIE_MAX_AGE, samesite="Lax",
                        secure=request.is_secure, httponly=True)
    return response
