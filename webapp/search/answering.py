"""What the /search page and the JSON API do alike with a request: parse it (or answer 400),
follow an organisers' redirect, check the page exists, count the search."""
from flask import abort, request
from flask_babel import gettext as _

from webapp.core.counting import count_search
from webapp.search.operations import redirect_for
from webapp.search.params import InvalidSearchParams, SearchParams, parse_per_page, parse_search_params


def _parsed_or_abort(parse, *arguments):
    """parse(*arguments), or a 400 with the reason (HTML or JSON, see errors.py)."""
    try:
        return parse(*arguments)
    except InvalidSearchParams as error:
        abort(400, description=str(error))


def parse_or_abort() -> SearchParams:
    """The request's search parameters, or a 400 with the reason."""
    return _parsed_or_abort(parse_search_params, request.args)


def per_page_or_abort(default: int) -> int:
    """The JSON API's results per page, or a 400 with the reason."""
    return _parsed_or_abort(parse_per_page, request.args, default)


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
