"""Keeping a page: the after-request hook that stores what Flask rendered for an anonymous visitor.

`keep_page` runs after the after-request hooks that change a page (the security headers,
Flask-Login's, the features'), so a page is stored as it is sent. For a request that
middleware.py looked up (an anonymous GET or HEAD) and that rules.py allows to keep, it gives the
page its validators (an ETag, a hash of the body; Last-Modified, when the generation last changed;
Cache-Control: no-cache, so that browsers ask again each time; Vary on what the key holds),
stores it with the generation read *before* rendering (a commit during the render leaves it
already out of date, never falsely current), and answers a conditional request with a 304.
"""
from flask import request

from webapp.core.counting import counts_of_request
from webapp.page_cache.middleware import LOOKUP_ENVIRON_KEY, Lookup, answer_conditional
from webapp.page_cache.rules import KEYED_VARY, is_keepable_page
from webapp.page_cache.store import Generation, current_store

UNSTORED_HEADERS = frozenset({"content-length", "set-cookie"})


def keep_page(response):
    lookup: Lookup | None = request.environ.get(LOOKUP_ENVIRON_KEY)
    if lookup is None or not is_keepable_page(response):
        return response
    add_validators(response, lookup.generation)
    store = current_store()
    store.write(lookup.key, entry_of(response, lookup.generation))
    response.call_on_close(store.sweep_if_due)
    return answer_conditional(response, request)


def add_validators(response, generation: Generation) -> None:
    """ETag and Last-Modified, unless the view set its own (feeds do); no-cache unless it chose."""
    response.add_etag()
    if response.last_modified is None:
        response.last_modified = generation.changed_at_datetime
    if "Cache-Control" not in response.headers:
        response.cache_control.no_cache = True
    response.vary.update(KEYED_VARY)


def entry_of(response, generation: Generation) -> dict:
    """What is stored: plain values only, so entries outlive a change of this code."""
    headers = [(name, value) for name, value in response.headers.items()
               if name.lower() not in UNSTORED_HEADERS]
    return {"generation": generation.token, "body": response.get_data(), "headers": headers,
            "counts": counts_of_request()}
