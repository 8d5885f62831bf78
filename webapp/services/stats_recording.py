"""Counting on the request path: views call count_hit() and count_search(); nothing here writes to
the database. A hit that counts (a public GET by a person who is not an organiser, see
stats_privacy.py) is appended to this process's pending queue; the collector (stats_collector.py,
one per database, elected among the processes) filters repeats, aggregates and writes in batches.

    count_hit(Metric.TALK_VIEW, talk.id)           # after the page rendered with a 200
    count_search(params.q, page.total)             # /search and /api/v1/search
    flush_counts(app)                              # write what is pending now (tests, shutdown)
"""
import re
import unicodedata
from datetime import datetime, timezone

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user

from webapp.models.stats import Metric
from webapp.services.stats_privacy import is_bot, visitor_digest

MAX_QUERY_CHARS = 200
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


def flush_counts(app: Flask) -> None:
    """Write every pending count now, in its own transaction."""
    from webapp.services.stats_collector import stats_state

    stats_state(app).flush_now()


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


def _enqueue(hit: tuple) -> None:
    from webapp.services.stats_collector import stats_state

    stats_state(current_app._get_current_object()).record(hit)
