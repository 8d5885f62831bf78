"""/search: parse the parameters, ask the search service, render. Bad parameters are a 400."""
from flask import abort, current_app, redirect, render_template, request
from flask_babel import gettext as _

from webapp.core.counting import count_search
from webapp.search import bp
from webapp.search.facets import active_filters, facet_groups
from webapp.search.operations import redirect_for
from webapp.search.params import InvalidSearchParams, SearchParams, parse_search_params
from webapp.search.queries import most_used_tags, search_archive
from webapp.slides.queries import slide_hit_pages


def parse_or_abort() -> SearchParams:
    """The request's search parameters, or a 400 with the reason (HTML or JSON, see errors.py)."""
    try:
        return parse_search_params(request.args)
    except InvalidSearchParams as error:
        abort(400, description=str(error))


def ensure_page_exists(page, params: SearchParams) -> None:
    if params.page > page.page_count:
        abort(404, description=_("There is no such page of results."))


def rule_redirect(params: SearchParams):
    """The organisers' redirect for this whole query (first page, no filters), or None."""
    if params.has_filters or params.page > 1 or not params.q:
        return None
    return redirect_for(params.q)


def count_first_page(params: SearchParams, total: int) -> None:
    """Search statistics: one search per query typed, not per page of results."""
    if params.page == 1:
        count_search(params.q, total)


@bp.get("/search")
def results():
    params = parse_or_abort()
    if params.is_blank:
        return render_template("search/results.html", params=params, page=None,
                               top_tags=most_used_tags(), search_query="")
    if (rule := rule_redirect(params)) is not None:
        count_first_page(params, 1)  # the redirect answers the search
        return redirect(request.script_root + rule.path)
    page = search_archive(params, per_page=current_app.config["PAGE_SIZE"])
    ensure_page_exists(page, params)
    count_first_page(params, page.result.total)
    top_tags = most_used_tags() if not page.hits else []
    return render_template(
        "search/results.html", params=params, page=page, top_tags=top_tags, search_query=params.q,
        facets=facet_groups(params, page.result.facets, page.facet_labels),
        filters=active_filters(params, page.facet_labels), slide_hits=slide_hit_pages(page.hits),
    )
