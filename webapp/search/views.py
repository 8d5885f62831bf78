"""/search: parse the parameters, ask the search service, render. Bad parameters are a 400."""
from flask import current_app, redirect, render_template, request

from search_index import MAX_PHRASES, MAX_TERMS
from webapp.search import bp
from webapp.search.answering import count_first_page, ensure_page_exists, parse_or_abort, rule_redirect
from webapp.search.facets import MAX_OPTIONS, active_filters, facet_groups
from webapp.search.queries import facet_labels, most_used_tags, search_archive
from webapp.slides.queries import slide_hit_pages

QUERY_LIMITS = {"words": MAX_TERMS, "phrases": MAX_PHRASES}


@bp.get("/search")
def results():
    params = parse_or_abort()
    if params.is_blank:
        return render_template("search/results.html", params=params, page=None,
                               top_tags=most_used_tags(), search_query="")
    if (rule := rule_redirect(params)) is not None:
        count_first_page(params, 1)  # the redirect answers the search
        return redirect(request.script_root + rule.path)
    page = search_archive(params, per_page=current_app.config["PAGE_SIZE"], facet_limit=MAX_OPTIONS)
    ensure_page_exists(page, params)
    count_first_page(params, page.found_total)
    top_tags = most_used_tags() if not page.hits else []
    labels = facet_labels(page.result.facets)
    return render_template(
        "search/results.html", params=params, page=page, top_tags=top_tags, search_query=params.q,
        facets=facet_groups(params, page.result, labels),
        filters=active_filters(params, labels), slide_hits=slide_hit_pages(page.hits),
        query_limits=QUERY_LIMITS,
    )
