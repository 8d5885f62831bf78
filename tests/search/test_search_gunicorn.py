"""Gunicorn with 4 sync workers electing one index writer, while separate processes write:
no request fails, no update is lost, every change becomes searchable."""
import json
import os
import subprocess
import sys
import textwrap
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from stats_server import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WRITERS, TALKS_PER_WRITER = 3, 5
GENEROUS_SECONDS = 60

# A separate program that creates talks and then edits each of them, committing every change.
WRITER_PROGRAM = textwrap.dedent("""
    import sys
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Event, Status, Talk

    prefix, count = sys.argv[1], int(sys.argv[2])
    app = create_app({"SEARCH_WRITER": "off"})
    with app.app_context():
        event = Event(slug=f"event-{prefix}", title=f"Rencontre {prefix}", status=Status.PUBLISHED)
        db.session.add(event)
        talks = []
        for n in range(count):
            talks.append(Talk(slug=f"{prefix}-{n}", title=f"Exposé initial {prefix} {n}",
                              event=event, status=Status.PUBLISHED))
            db.session.add(talks[-1])
            db.session.commit()
        for talk in talks:
            talk.title = talk.title.replace("initial", "révisé")
            db.session.commit()
""")


def get(base: str, path: str, **params) -> tuple[int, bytes]:
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def server_env(tmp_path):
    env = {**os.environ, "SECRET_KEY": "gunicorn-test-secret",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
           "SEARCH_INDEX_DIR": str(tmp_path / "search-index"), "SEARCH_WRITER": "thread",
           "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    return env


@pytest.fixture
def server(server_env, tmp_path, wait_until):
    port, log = free_port(), (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--workers", "4",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        env=server_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: _answers(base), GENEROUS_SECONDS), "gunicorn did not start"
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _answers(base: str) -> bool:
    try:
        return get(base, "/search", q="x")[0] == 200
    except OSError:
        return False


def hammer(base: str, stop: threading.Event, statuses: list) -> None:
    while not stop.is_set():
        for path in ("/search", "/api/v1/search", "/api/v1/suggest"):
            statuses.append((path, get(base, path, q="exposé")[0]))


def search_slugs(base: str, q: str) -> set[str]:
    status, body = get(base, "/api/v1/search", q=q)
    assert status == 200
    return {result["slug"] for result in json.loads(body)["results"]}


def test_gunicorn_workers_serve_search_while_writers_commit(server, server_env, wait_until):
    base, log = server
    stop, statuses = threading.Event(), []
    readers = [threading.Thread(target=hammer, args=(base, stop, statuses)) for _ in range(6)]
    for reader in readers:
        reader.start()
    writers = [subprocess.Popen([sys.executable, "-c", WRITER_PROGRAM, f"w{n}", str(TALKS_PER_WRITER)],
                                env=server_env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
               for n in range(WRITERS)]
    try:
        for writer in writers:
            _, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
    expected = {f"w{n}-{i}" for n in range(WRITERS) for i in range(TALKS_PER_WRITER)}
    assert wait_until(lambda: search_slugs(base, "révisé") == expected, GENEROUS_SECONDS, 0.2)
    assert wait_until(lambda: search_slugs(base, "initial") == set(), GENEROUS_SECONDS, 0.2)
    assert statuses and all(status == 200 for _, status in statuses), \
        sorted({s for s in statuses if s[1] != 200})
    check = subprocess.run([str(BIN / "flask"), "--app", "webapp", "search", "check"],
                           env=server_env, cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    log.seek(0)
    output = log.read()
    assert "LockError" not in output and "Traceback" not in output, output[-3000:]
