"""Counting on the request path: views call count_hit() and count_search(); nothing here writes to
the database. A hit that counts (a public GET by a person who is not an organiser, see
privacy.py) goes to the hit sink that the statistics feature installs (set_hit_sink): its
pending queue, which the collector (webapp/stats/collector.py, one per database, elected among
the processes) filters for repeats, aggregates and writes in batches.

    count_hit(Metric.TALK_VIEW, talk.id)           # after the page rendered with a 200
    count_search(params.q, page.total)             # /search and /api/v1/search

Each request also notes what it counted, whoever the visitor (counts_of_request): the page cache
keeps that beside a page and counts it again for every visitor it serves the page to
(count_again), who then counts exactly as if the page had been rendered for them.
"""
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime, timezone

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from webapp.core.access import carries_credentials
from webapp.core.privacy import is_bot, visitor_digest
from webapp.models.stats import Metric

MAX_QUERY_CHARS = 200
HIT_SINK_KEY = "causeries_hit_sink"
COUNTED_KEY = "counted_on_this_request"  # on flask.g: what this request counted
_WHITESPACE = re.compile(r"\s+")


def normalise_query(q: str) -> str:
    """THE normalisation of search queries for statistics and search rules: NFC, lower-case,
    accents and '#' kept, whitespace collapsed, at most 200 characters."""
    text = unicodedata.normalize("NFC", q or "").lower()
    return _WHITESPACE.sub(" ", text).strip()[:MAX_QUERY_CHARS].rstrip()


def count_hit(metric: Metric, object_id: int, page: int = 0) -> None:
    """Count one view of an object (a page number for slide pages) by the current visitor."""
    _note_count(("hit", Metric(metric).value, int(object_id), int(page)))
    if (visitor := countable_visitor()) is not None:
        _enqueue(_hit(visitor, metric, object_id, page))


def count_search(query: str, total: int) -> None:
    """Count one search, and whether it found nothing; blank queries are not counted."""
    _note_count(("search", query, int(total)))
    if normalise_query(query) and (visitor := countable_visitor()) is not None:
        _enqueue(_search(visitor, query, total))


def _hit(visitor: str, metric: Metric, object_id: int, page: int = 0) -> tuple:
    return (_today_ordinal(), Metric(metric).value, int(object_id), int(page), visitor, None, None)


def _search(visitor: str, query: str, total: int) -> tuple:
    return (_today_ordinal(), Metric.SEARCH.value, 0, 0, visitor, normalise_query(query), max(int(total), 0))


def _note_count(count: tuple) -> None:
    if has_request_context():
        g.setdefault(COUNTED_KEY, []).append(count)


def counts_of_request() -> list[tuple]:
    """What this request counted, or would have counted for a visitor who counts: plain tuples
    ("hit", metric, object id, page) and ("search", query, total)."""
    return list(g.get(COUNTED_KEY, ()))


def count_again(app: Flask, counts: list[tuple], visitor: str | None) -> None:
    """Count again, for `visitor` (visitor_of: an anonymous one, outside any request context),
    what another request counted (counts_of_request)."""
    record = app.extensions.get(HIT_SINK_KEY)
    if visitor is None or record is None:
        return
    for kind, *arguments in counts:
        if kind == "hit":
            record(_hit(visitor, *arguments))
        elif kind == "search" and normalise_query(arguments[0]):
            record(_search(visitor, *arguments))


def countable_visitor() -> str | None:
    """The visitor's unsalted digest if this request counts, else None: see visitor_of, and an
    organiser's visits are not the public's."""
    if not has_request_context():
        return None
    visitor = visitor_of(current_app.config, request.method, request.headers.get("User-Agent", ""),
                         request.remote_addr)
    return None if visitor is None or _is_organiser() else visitor


def visitor_of(config, method: str, user_agent: str, address: str | None) -> str | None:
    """The digest of a visitor who counts, None when counting is off, for a HEAD request or a
    known bot. Takes the request's parts, so that it works before Flask has seen the request."""
    if not config["STATS_ENABLED"] or method == "HEAD" or is_bot(user_agent):
        return None
    return visitor_digest(address, user_agent)


def _is_organiser() -> bool:
    return carries_credentials() and bool(current_user.is_authenticated and current_user.can_manage)


def _today_ordinal() -> int:
    return datetime.now(timezone.utc).date().toordinal()


def set_hit_sink(app: Flask, record: Callable[[tuple], None]) -> None:
    """Where this app's counted hits go (the statistics feature's init_app sets it)."""
    app.extensions[HIT_SINK_KEY] = record


def _enqueue(hit: tuple) -> None:
    if (record := current_app.extensions.get(HIT_SINK_KEY)) is not None:
        record(hit)
