"""The filesystem backend's folder stays bounded: expired pages go, then the oldest beyond the
limit; what is current stays readable."""
import os
import time

from cachelib import FileSystemCache

from webapp.page_cache.sweeping import FileSweeper


def _aged(path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def test_expired_pages_are_deleted_and_current_ones_stay(tmp_path):
    cache = FileSystemCache(str(tmp_path), threshold=0, default_timeout=300)
    for n in range(4):
        cache.set(f"page-{n}", {"body": b"x" * n})
    files = sorted(tmp_path.iterdir())
    for path in files[:2]:
        _aged(path, 301)
    assert FileSweeper(tmp_path, max_age=300, max_entries=100).sweep(time.time()) == 2
    assert len(list(tmp_path.iterdir())) == 2
    assert sum(cache.get(f"page-{n}") is not None for n in range(4)) == 2


def test_the_oldest_pages_beyond_the_limit_are_deleted(tmp_path):
    cache = FileSystemCache(str(tmp_path), threshold=0, default_timeout=300)
    for n in range(5):  # page-0 is the newest, page-4 the oldest
        before = set(tmp_path.iterdir())
        cache.set(f"page-{n}", n)
        (written,) = set(tmp_path.iterdir()) - before
        _aged(written, n * 10)
    assert FileSweeper(tmp_path, max_age=300, max_entries=3).sweep(time.time()) == 2
    assert [cache.get(f"page-{n}") for n in range(5)] == [0, 1, 2, None, None]


def test_a_process_sweeps_at_most_once_a_minute(tmp_path):
    sweeper = FileSweeper(tmp_path, max_age=300, max_entries=0)
    (tmp_path / "one").write_bytes(b"1")
    sweeper.sweep_if_due()
    (tmp_path / "two").write_bytes(b"2")
    sweeper.sweep_if_due()
    assert [path.name for path in tmp_path.iterdir()] == ["two"]


def test_a_missing_folder_is_nothing_to_sweep(tmp_path):
    assert FileSweeper(tmp_path / "absent", max_age=300, max_entries=10).sweep(time.time()) == 0
