"""/api/v1/search and /api/v1/suggest: the same parameters and queries as the /search page."""
from flask import current_app, jsonify, request, url_for

from webapp.core.blueprints import api_bp as bp
from webapp.search.answering import (
    count_first_page,
    ensure_page_exists,
    parse_or_abort,
    per_page_or_abort,
    rule_redirect,
)
from webapp.search.params import MAX_QUERY_LENGTH, single_line
from webapp.search.queries import TalkHit, load_talk_summaries, search_archive, suggest_completions

SUGGESTION_URLS = {
    "talk": lambda slug: url_for("public.talk", slug=slug),
    "speaker": lambda slug: url_for("public.speaker", slug=slug),
    "tag": lambda name: url_for("public.tag", tag=name),
}


def _iso_date(value) -> str | None:
    return value.isoformat() if value else None


def _talk_json(item: TalkHit) -> dict:
    talk = item.talk
    return {
        "type": "talk", "slug": talk.slug, "title": talk.title,
        "url": url_for("public.talk", slug=talk.slug, _external=True),
        "event": {"slug": talk.event_slug, "title": talk.event_title},
        "date": _iso_date(talk.date),
        "speakers": [{"slug": slug, "name": name} for slug, name in talk.speakers],
        "highlight": item.snippet or item.hit.highlights.get("title"),
        "slide_page": item.hit.slide_page,
        "transcript_second": item.hit.transcript_second,
        "transcript_url": None if item.hit.transcript_second is None else url_for(
            "public.talk", slug=talk.slug, _anchor=f"t={item.hit.transcript_second}", _external=True),
    }


@bp.get("/search")
def search():
    params = parse_or_abort()
    page = search_archive(params, per_page=per_page_or_abort(current_app.config["PAGE_SIZE"]),
                          load_hits=load_talk_summaries)
    ensure_page_exists(page, params)
    rule = rule_redirect(params)  # an organiser's redirect: clients may open that page instead
    count_first_page(params, page.found_total if rule is None else max(page.result.total, 1))
    return jsonify(
        query=params.q, total=page.result.total, page=params.page, pages=page.page_count,
        redirect=current_app.config["SITE_URL"].rstrip("/") + rule.path if rule else None,
        results=[_talk_json(item) for item in page.hits],
        speakers=[{"slug": s.slug, "name": s.name,
                   "url": url_for("public.speaker", slug=s.slug, _external=True)}
                  for s in page.speakers],
        facets=page.result.facets, facet_others=page.result.facet_others, suggestion=page.result.suggestion,
        is_query_truncated=page.result.is_query_truncated, is_partial=page.result.is_partial,
        match="most" if page.result.is_relaxed else "all",
    )


@bp.get("/suggest")
def suggest():
    prefix = single_line(request.args.get("q", ""))[:MAX_QUERY_LENGTH]
    suggestions = suggest_completions(prefix)
    return jsonify(query=prefix, suggestions=[
        {"type": s.type, "label": s.label, "url": SUGGESTION_URLS[s.type](s.slug)}
        for s in suggestions if s.type in SUGGESTION_URLS
    ])
