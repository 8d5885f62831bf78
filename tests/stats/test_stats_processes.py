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



def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the processes whose parent is the master."""
    from pathlib import Path

    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            pids.append(int(stat.parent.name))
    return pids


def test_a_killed_collector_is_replaced_and_counting_goes_on(site, tmp_path, wait_until):
    import os
    import signal

    env, ids, database = site
    process, base = start_gunicorn(env, tmp_path / "gunicorn.log", workers=3)
    try:
        assert wait_until(lambda: answers(base), GENEROUS_SECONDS), "gunicorn did not start"
        before = [["/talks/expose-0", f"10.6.0.{v}", "Mozilla/5.0 Firefox/128.0", "GET"] for v in range(20)]
        run_clients(base, [before])
        assert wait_until(lambda: counted_total(database) == 20, GENEROUS_SECONDS)
        killed = worker_pids(process.pid)
        for pid in killed:  # the elected collector among them, without any exit hook
            os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: answers(base) and not set(worker_pids(process.pid)) & set(killed),
                          GENEROUS_SECONDS)
        after = [["/talks/expose-1", f"10.7.0.{v}", "Mozilla/5.0 Firefox/128.0", "GET"] for v in range(25)]
        run_clients(base, [after])
        assert wait_until(lambda: counted_total(database) == 45, GENEROUS_SECONDS)
    finally:
        stop_gunicorn(process)
    assert daily_counts(database) == {("talk_view", ids["talks"][0]): 20, ("talk_view", ids["talks"][1]): 25}
