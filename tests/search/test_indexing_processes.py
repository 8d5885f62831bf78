"""Real processes and threads: a crash after commit loses nothing, concurrent writers lose nothing,
the elected background writer makes a commit searchable, and another process takes over."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from webapp.search.writer import IndexWriter, writer_election

ROOT = Path(__file__).resolve().parents[2]
GENEROUS_SECONDS = 10

# Commits talks as a separate program would, then (optionally) drains the queue itself.
WRITER_PROGRAM = textwrap.dedent("""
    import sys
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Event, Status, Talk
    from webapp.search.indexing import drain_queue

    prefix, count, then = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    app = create_app({"SEARCH_WRITER": "off"})
    with app.app_context():
        event = Event(slug=f"event-{prefix}", title=f"Journée {prefix}", status=Status.PUBLISHED)
        db.session.add(event)
        for n in range(count):
            db.session.add(Talk(slug=f"{prefix}-{n}", title=f"Exposé {prefix} numéro {n}",
                                event=event, status=Status.PUBLISHED))
            db.session.commit()
            if then == "drain":
                drain_queue()
        print("committed", flush=True)
        if then == "hang":
            sys.stdin.read()
""")


@pytest.fixture
def child_env(app):
    return {**os.environ, "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
            "PYTHONPATH": str(ROOT)}


def start_writer(env, prefix: str, count: int, then: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER_PROGRAM, prefix, str(count), then],
                            env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_a_crash_between_commit_and_indexing_loses_nothing(db, child_env, drain, found):
    with start_writer(child_env, "crash", 3, then="hang") as child:
        assert child.stdout.readline().strip() == "committed"
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=GENEROUS_SECONDS)
    assert found("exposé") == []
    db.session.rollback()  # see the child's commits
    assert drain() >= 3
    assert sorted(found("exposé crash")) == ["crash-0", "crash-1", "crash-2"]


def test_concurrent_writer_processes_lose_nothing(db, child_env, found):
    children = [start_writer(child_env, f"proc{n}", 5, then="drain") for n in range(4)]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (out, err) in zip(children, outputs):
        assert child.returncode == 0, err
        assert "LockError" not in err and "IndexBusy" not in err
    expected = sorted(f"proc{n}-{i}" for n in range(4) for i in range(5))
    assert sorted(found("exposé")) == expected


def test_the_background_writer_makes_a_commit_searchable(app, db, make_talk, found, wait_until):
    writer = IndexWriter(app, poll_seconds=0.3)
    writer.start()
    try:
        talk = make_talk("Tiers-lieux culturels")
        db.session.commit()
        committed_at = time.monotonic()
        assert wait_until(lambda: found("tiers-lieux") == [talk.slug], GENEROUS_SECONDS)
        print(f"searchable {time.monotonic() - committed_at:.2f} s after the commit")
    finally:
        writer.stop()
    assert not writer.is_running


def test_only_one_writer_is_elected_and_another_takes_over(app):
    index_dir = Path(app.config["SEARCH_INDEX_DIR"])
    first, second = writer_election(index_dir), writer_election(index_dir)
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()


def test_a_dead_writer_process_frees_the_election(app, child_env):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys
            from pathlib import Path
            from webapp.search.writer import writer_election
            assert writer_election(Path(sys.argv[1])).try_acquire()
            print("elected", flush=True)
            sys.stdin.read()
        """), app.config["SEARCH_INDEX_DIR"]],
        env=child_env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    with holder:
        assert holder.stdout.readline().strip() == "elected"
        candidate = writer_election(Path(app.config["SEARCH_INDEX_DIR"]))
        assert not candidate.try_acquire()
        holder.kill()
        holder.communicate(timeout=GENEROUS_SECONDS)
    assert candidate.try_acquire()
    candidate.release()


def test_the_worker_command_stops_cleanly_on_sigterm(app, child_env):
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "search", "worker"],
                              env=child_env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert "running" in worker.stdout.readline()
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=GENEROUS_SECONDS)
    assert worker.returncode == 0, err
    assert "stopped" in out
