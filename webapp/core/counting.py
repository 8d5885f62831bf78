"""Counting on the request path: views call count_hit() and count_search(); nothing here writes to
the database. A hit that counts (a public GET by a person who is not an organiser, see
privacy.py) goes to the hit sink that the statistics feature installs (set_hit_sink): its
pending queue, which the collector (webapp/stats/collector.py, one per database, elected among
the processes) filters for repeats, aggregates and writes in batches.

    count_hit(Metric.TALK_VIEW, talk.id)           # after the page rendered with a 200
    count_search(params.q, page.total)             # /search and /api/v1/search
"""
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime, timezone

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user

from webapp.core.privacy import is_bot, visitor_digest
from webapp.models.stats import Metric

MAX_QUERY_CHARS = 200
HIT_SINK_KEY = "causeries_hit_sink"
_WHITESPACE = re.compile(r"\s+")


def normalise_query(q: str) -> str:
    """THE normalisation of search queries for statistics and search rules: NFC, lower-case,
    accents and '#' kept, whitespace collapsed, at most 200 characters."""
    text = unicodedata.normalize("NFC", q or "").lower()
    return _WHITESPACE.sub(" ", text).strip()[:MAX_QUERY_CHARS].rstrip()


def count_hit(metric: Metric, object_id: int, page: int = 0) -> None:
    """Count one view of an object (a page number for slide pages) by the current visitor."""
    if (visitor := countable_visitor()) is not None:
        _enqueue((_today_ordinal(), Metric(metric).value, int(object_id), int(page), visitor,
                  None, None))


def count_search(query: str, total: int) -> None:
    """Count one search, and whether it found nothing; blank queries are not counted."""
    normalised = normalise_query(query)
    if normalised and (visitor := countable_visitor()) is not None:
        _enqueue((_today_ordinal(), Metric.SEARCH.value, 0, 0, visitor, normalised,
                  max(int(total), 0)))


def countable_visitor() -> str | None:
    """The visitor's unsalted digest if this request counts, else None: counting is off, a HEAD
    request, a known bot, or an organiser (whose visits are not the public's)."""
    if not current_app.config["STATS_ENABLED"] or not has_request_context():
        return None
    if request.method == "HEAD":
        return None
    user_agent = request.headers.get("User-Agent", "")
    if is_bot(user_agent) or _is_organiser():
        return None
    return visitor_digest(request.remote_addr, user_agent)


def _is_organiser() -> bool:
    return bool(current_user.is_authenticated and current_user.can_manage)


def _today_ordinal() -> int:
    return datetime.now(timezone.utc).date().toordinal()


def set_hit_sink(app: Flask, record: Callable[[tuple], None]) -> None:
    """Where this app's counted hits go (the statistics feature's init_app sets it)."""
    app.extensions[HIT_SINK_KEY] = record


def _enqueue(hit: tuple) -> None:
    if (record := current_app.extensions.get(HIT_SINK_KEY)) is not None:
        record(hit)
