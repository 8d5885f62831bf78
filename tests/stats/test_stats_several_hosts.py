"""Every host has its own collector, and they all write to one database: their upserts add to the
rows (count = count + excluded.count), so counts written at the same moment for the same day and
object add up exactly, on PostgreSQL and SQLite alike."""
import threading
from collections import Counter
from datetime import date

from sqlalchemy import select

from webapp.models import DailyCount, Metric, SearchQueryDay
from webapp.stats.collector import write_counts

ROUNDS = 30
DAY = date(2026, 12, 3)


def _write_batches(host, per_round: int, barrier: threading.Barrier, errors: list) -> None:
    """One host's collector flushing a batch per round, the other host's at the same moment."""
    try:
        for _ in range(ROUNDS):
            barrier.wait(timeout=30)
            write_counts(host, Counter({(DAY, Metric.TALK_VIEW, 7, 0): per_round,
                                        (DAY, Metric.SLIDE_PAGE_VIEW, 3, 2): 1}),
                         {(DAY, "mediation numerique"): (per_round, 1)})
    except Exception as error:  # noqa: BLE001  (reported by the test)
        errors.append(error)
        barrier.abort()


def test_two_hosts_collectors_writing_the_same_rows_at_once_add_up(app, db, second_host):
    barrier, errors = threading.Barrier(2), []
    writers = [threading.Thread(target=_write_batches, args=(host, n, barrier, errors))
               for host, n in ((app, 1), (second_host, 2))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert not errors
    counts = dict(db.session.execute(select(DailyCount.metric, DailyCount.count)
                                     .where(DailyCount.day == DAY)).all())
    assert counts == {Metric.TALK_VIEW: 3 * ROUNDS, Metric.SLIDE_PAGE_VIEW: 2 * ROUNDS}
    searches = db.session.execute(select(SearchQueryDay.count, SearchQueryDay.zero_result_count)).all()
    assert [tuple(row) for row in searches] == [(3 * ROUNDS, 2 * ROUNDS)]
