"""Hosts of one archive: gunicorn servers on their own ports, each with its own instance folders
(search index, page cache, statistics socket, mail, share cards), sharing the database, UPLOAD_DIR,
the secret key and SITE_URL; and the archive they share (its database, read with SQL)."""
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from stats_server import (
    BIN,
    GENEROUS_SECONDS,
    ROOT,
    Browser,
    answers,
    execute_statement,
    query_rows,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
    wait_for,
)

ORGANISER, PASSWORD = "organiser@example.org", "a long organiser password"
WORKERS = 2  # per host: enough for an election among workers, light on CI's two cores


def is_postgresql(url: str | None) -> bool:
    return bool(url) and make_url(url).get_backend_name() in ("postgres", "postgresql")


@dataclass
class Host:
    """One application host: its environment, its gunicorn, its `flask` commands."""

    name: str
    folder: Path
    env: dict
    process: subprocess.Popen | None = None
    base: str = ""
    starts: int = 0

    def start(self, workers: int = WORKERS) -> None:
        self.starts += 1
        self.process, self.base = start_gunicorn(self.env, self.folder / f"gunicorn-{self.starts}.log", workers)
        assert wait_for(lambda: answers(self.base), GENEROUS_SECONDS), f"{self.name} did not start"

    def start_new(self) -> None:
        """What a new host does: build its own index from the database, then serve (and follow the log)."""
        self.flask("search", "rebuild")
        self.start()

    def stop(self) -> None:
        if self.process is not None:
            stop_gunicorn(self.process)
            self.process = None

    def kill(self) -> None:
        """SIGKILL the master and every process under it at once: a host that loses its power."""
        pids = [self.process.pid, *descendants(self.process.pid)]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=GENEROUS_SECONDS)
        assert wait_for(lambda: not any(_alive(pid) for pid in pids), GENEROUS_SECONDS)
        self.process = None

    def flask(self, *arguments: str, expect: int | None = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([str(BIN / "flask"), "--app", "webapp", *arguments], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=GENEROUS_SECONDS * 2)
        if expect is not None:
            assert done.returncode == expect, f"{self.name}: flask {' '.join(arguments)}:\n{done.stdout}\n{done.stderr}"
        return done

    def organiser(self) -> Browser:
        browser = Browser(self.base)
        assert browser.submit("/login", {"email": ORGANISER, "password": PASSWORD}) == 302
        return browser

    def get_json(self, path: str) -> dict:
        status, body = Browser(self.base).open(path)
        assert status == 200, body[:500]
        return json.loads(body)


def descendants(pid: int) -> list[int]:
    """Every process below pid (workers, and the children they started), from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Archive:
    """The shared part: the database URL, UPLOAD_DIR, and the hosts made on it."""

    def __init__(self, folder: Path, database_url: str):
        self.folder, self.database_url = folder, database_url
        self.upload_dir = folder / "uploads"
        self.hosts: dict[str, Host] = {}
        self.ids: dict = {}  # the seeded event and talks (stats_server.migrate_and_seed)

    def host(self, name: str) -> Host:
        """A new host, named by SEARCH_INDEX_NAME (not started)."""
        folder = self.folder / name
        folder.mkdir()
        env = server_environment(
            folder, DATABASE_URL=self.database_url, SECRET_KEY="multihost-secret",
            SITE_URL="http://causeries.example.org", UPLOAD_DIR=self.upload_dir,
            SEARCH_INDEX_DIR=folder / "search-index", SEARCH_INDEX_NAME=name,
            PAGE_CACHE="filesystem", PAGE_CACHE_DIR=folder / "page-cache", PAGE_CACHE_SECONDS=300,
            PAGE_CACHE_GENERATION_CHECK_SECONDS=1, STATS_SOCKET_DIR=folder / "stats",
            MAIL_DIR=folder / "mail", SHARE_CARD_DIR=folder / "share-cards",
            SLIDES_WORKER_LOCK_DIR=folder / "instance",  # one slide worker per host, not per machine
            SEARCH_WRITER="thread", SLIDES_WORKER="thread", STATS_FLUSH_SECONDS=0.5, TRUSTED_PROXY_COUNT=1)
        env.pop("TEST_DATABASE_URL", None)
        (folder / "stats").mkdir(mode=0o700)
        (folder / "instance").mkdir()
        self.hosts[name] = host = Host(name, folder, env)
        return host

    def rows(self, query: str, **parameters) -> list[tuple]:
        return query_rows(self.database_url, query, **parameters)

    def execute(self, query: str, **parameters) -> None:
        execute_statement(self.database_url, query, **parameters)

    def stop_all(self) -> None:
        for host in self.hosts.values():
            host.stop()


def talk_slug(n: int) -> str:
    return f"expose-{n}"


def wait_seconds(condition, timeout: float) -> float | None:
    """Poll condition() every 50 ms; the seconds it took to hold, or None past timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    return time.monotonic() - started if condition() else None
