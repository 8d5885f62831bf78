"""Counting under real concurrent load: gunicorn with 3 workers electing one collector, and 4
client processes sending known hits (repeats land on different workers, bots and HEAD requests
mixed in). Once the counts are written, they are exactly the hits minus what the rules exclude."""
import pytest
from stats_server import (
    GENEROUS_SECONDS,
    answers,
    counted_total,
    daily_counts,
    known_plans,
    migrate_and_seed,
    run_clients,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
)


@pytest.fixture
def site(tmp_path):
    env = server_environment(tmp_path)
    return env, migrate_and_seed(env), tmp_path / "site.db"


def test_counts_match_the_hits_minus_bots_and_repeats_across_workers(site, tmp_path, wait_until):
    env, ids, database = site
    plans, expected = known_plans(ids)
    process, base = start_gunicorn(env, tmp_path / "gunicorn.log", workers=3)
    try:
        assert wait_until(lambda: answers(base), GENEROUS_SECONDS), "gunicorn did not start"
        statuses = [status for status, _cookie in run_clients(base, plans)]
        assert statuses == [200] * len(statuses)
        wait_until(lambda: counted_total(database) >= sum(expected.values()), GENEROUS_SECONDS)
    finally:
        stop_gunicorn(process)
    assert daily_counts(database) == expected

