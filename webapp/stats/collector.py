"""The collector: filters repeats, aggregates hits per object per day, and upserts them in batches.

A hit is a tuple (day ordinal, metric, object id, page, visitor digest, normalised query or None,
result total or None). Each process keeps its own hits in a bounded pending queue (StatsState);
the process that collects (in-process under TESTING or STATS_COLLECTOR=inline, otherwise the one
elected by loop.py) moves them into a Tally, together with the hits the other processes send
it, and writes the Tally every STATS_FLUSH_SECONDS with one INSERT ... ON CONFLICT DO UPDATE per
table and chunk. Nothing identifying a visitor reaches the database: the digest only feeds the
in-memory RepeatFilter.
"""
import json
import logging
import os
import threading
from collections import Counter, deque
from datetime import date

from flask import Flask
from sqlalchemy.dialects import postgresql, sqlite

from webapp.core.background import background_mode, ensure_loop
from webapp.core.privacy import RepeatFilter
from webapp.extensions import db
from webapp.models.stats import DailyCount, Metric, SearchQueryDay

EXTENSION_KEY = "causeries_stats"
STATS_LOOP_NAME = "stats-collector"
ROWS_PER_STATEMENT = 500
MAX_OBJECT_ID = 2**31 - 1
METRICS = {metric.value for metric in Metric}
log = logging.getLogger(__name__)


# --- hits on the wire -------------------------------------------------------------------------

def encode_hits(hits: list[tuple] | tuple) -> bytes:
    return json.dumps(hits, separators=(",", ":"), ensure_ascii=False).encode()


def _is_valid_hit(hit) -> bool:
    if not isinstance(hit, list) or len(hit) != 7:
        return False
    day, metric, object_id, page, visitor, query, total = hit
    numbers_ok = all(type(n) is int and 0 <= n <= MAX_OBJECT_ID for n in (day, object_id, page))
    query_ok = (query is None and total is None) or (
        isinstance(query, str) and 0 < len(query) <= 200 and type(total) is int and total >= 0)
    return (numbers_ok and day > 0 and metric in METRICS and isinstance(visitor, str)
            and len(visitor) == 64 and query_ok)


def decode_hits(data: bytes) -> list[tuple]:
    """The valid hits of a datagram; anything malformed is dropped (the socket is local, but
    whatever arrives on it is still input)."""
    try:
        hits = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return []
    return [tuple(hit) for hit in hits if _is_valid_hit(hit)] if isinstance(hits, list) else []


# --- aggregation ------------------------------------------------------------------------------

class Tally:
    """Counts waiting to be written: per (day, metric, object, page), and per (day, query)."""

    def __init__(self, repeat_window_seconds: float):
        self.repeats = RepeatFilter(repeat_window_seconds)
        self.counts: Counter = Counter()
        self.queries: dict[tuple[date, str], list[int]] = {}

    def add(self, hit: tuple) -> bool:
        """Count the hit unless its visitor hit the same subject within the window."""
        day_ordinal, metric, object_id, page, visitor, query, total = hit
        day = date.fromordinal(day_ordinal)
        subject = f"{metric}\0{object_id}\0{page}\0{query or ''}"
        if not self.repeats.is_first(visitor, subject, day):
            return False
        self.counts[(day, Metric(metric), object_id, page)] += 1
        if query is not None:
            tally = self.queries.setdefault((day, query), [0, 0])
            tally[0] += 1
            tally[1] += total == 0
        return True

    def take(self) -> tuple[Counter, dict]:
        """What is waiting, leaving the tally empty (the repeat filter stays)."""
        taken = (self.counts, self.queries)
        self.counts, self.queries = Counter(), {}
        return taken

    def give_back(self, counts: Counter, queries: dict) -> None:
        """Counts whose write failed wait for the next flush."""
        self.counts.update(counts)
        for key, (count, zero) in queries.items():
            tally = self.queries.setdefault(key, [0, 0])
            tally[0] += count
            tally[1] += zero


# --- writing ----------------------------------------------------------------------------------

def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model))


def _chunks(rows: list[dict]):
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        yield rows[start:start + ROWS_PER_STATEMENT]


def upsert_daily_counts(counts: Counter) -> None:
    """Add the counts to daily_counts, creating the rows that do not exist yet. Flushes."""
    rows = [{"day": day, "metric": metric, "object_id": object_id, "page": page, "count": n}
            for (day, metric, object_id, page), n in counts.items()]
    for chunk in _chunks(rows):
        statement = _insert(DailyCount).values(chunk)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["day", "metric", "object_id", "page"],
            set_={"count": DailyCount.count + statement.excluded["count"]}))


def upsert_search_query_days(queries: dict) -> None:
    """Add the searches to search_query_days, creating the rows that do not exist yet."""
    rows = [{"day": day, "query": query, "count": count, "zero_result_count": zero}
            for (day, query), (count, zero) in queries.items()]
    for chunk in _chunks(rows):
        statement = _insert(SearchQueryDay).values(chunk)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["day", "query"],
            set_={"count": SearchQueryDay.count + statement.excluded["count"],
                  "zero_result_count": SearchQueryDay.zero_result_count
                  + statement.excluded["zero_result_count"]}))


def write_counts(app: Flask, counts: Counter, queries: dict) -> None:
    """One transaction for a batch, in a fresh app context (its own session). Commits."""
    with app.app_context():
        try:
            upsert_daily_counts(counts)
            upsert_search_query_days(queries)
            db.session.commit()
        finally:
            db.session.remove()


# --- per-process state --------------------------------------------------------------------------

def collector_mode(app: Flask) -> str:
    """"thread": the processes elect one collector thread (loop.py); "inline": this process
    collects and writes only when flush_counts() is called (the default in tests)."""
    return background_mode(app.config, "STATS_COLLECTOR", ("thread", "inline"), under_testing="inline")


class StatsState:
    """This process's pending hits and, while it collects, the tally."""

    def __init__(self, app: Flask):
        self.app = app
        self.pid = os.getpid()
        self.pending: deque = deque(maxlen=app.config["STATS_BUFFER_LIMIT"])
        self.lock = threading.Lock()
        self.tally: Tally | None = None
        self.loop = None  # the StatsLoop thread of this process (thread mode)
        if collector_mode(app) == "inline":
            self.start_collecting()

    def record(self, hit: tuple) -> None:
        if len(self.pending) == self.pending.maxlen:
            log.warning("statistics buffer full: the oldest pending hit is dropped")
        self.pending.append(hit)
        if self.loop is None and collector_mode(self.app) == "thread":
            ensure_loop(self.app, STATS_LOOP_NAME)

    def start_collecting(self) -> None:
        with self.lock:
            if self.tally is None:
                self.tally = Tally(self.app.config["STATS_REPEAT_WINDOW"])

    def stop_collecting(self) -> None:
        with self.lock:
            self.tally = None

    @property
    def is_collecting(self) -> bool:
        return self.tally is not None

    def take_pending(self) -> list[tuple]:
        hits = []
        while True:
            try:
                hits.append(self.pending.popleft())
            except IndexError:
                return hits

    def add_hits(self, hits: list[tuple]) -> None:
        with self.lock:
            for hit in hits:
                self.tally.add(hit)

    def flush_now(self) -> None:
        """Collecting: tally what is pending and write the tally. Otherwise: hand the pending
        hits to the collector now."""
        if not self.is_collecting:
            if self.loop is not None:
                self.loop.send_pending()
            return
        self.add_hits(self.take_pending())
        self.write_tally()

    def write_tally(self) -> None:
        """Write what the tally holds; on failure keep it for the next round."""
        with self.lock:
            counts, queries = self.tally.take()
            self.tally.repeats.forget_expired()
        if not counts and not queries:
            return
        try:
            write_counts(self.app, counts, queries)
        except Exception:
            with self.lock:
                if self.tally is not None:
                    self.tally.give_back(counts, queries)
            raise


_state_lock = threading.Lock()


def stats_state(app: Flask) -> StatsState:
    """This process's state (created again in a forked child)."""
    state = app.extensions.get(EXTENSION_KEY)
    if state is None or state.pid != os.getpid():
        with _state_lock:
            state = app.extensions.get(EXTENSION_KEY)
            if state is None or state.pid != os.getpid():
                state = app.extensions[EXTENSION_KEY] = StatsState(app)
    return state


def flush_counts(app: Flask) -> None:
    """Write every pending count now, in its own transaction (tests, shutdown)."""
    stats_state(app).flush_now()


def record_hit(app: Flask, hit: tuple) -> None:
    """The hit sink of webapp/core/counting.py: this process's pending queue."""
    stats_state(app).record(hit)
