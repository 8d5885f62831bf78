"""Real traffic for the statistics tests: a database made by migrations, gunicorn with several
workers on a free port, and client processes sending known hits (see test_stats_processes.py).
The other live-server tests share its pieces: a Browser with cookies that fills forms, and a scratch
database on the TEST_DATABASE_URL server (tests/page_cache/, tests/core/, tests/multihost/)."""
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GENEROUS_SECONDS = 60
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.{n}"
BOTS = ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0", "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0",
        "facebookexternalhit/1.1", "UptimeRobot/2.0")

SEED_PROGRAM = textwrap.dedent("""
    import json, sys
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Event, Status, Talk

    app = create_app({"SEARCH_WRITER": "off", "SLIDES_WORKER": "off"})
    with app.app_context():
        event = Event(slug="journee", title="Journée d'étude", status=Status.PUBLISHED)
        talks = [Talk(slug=f"expose-{n}", title=f"Exposé {n}", event=event, status=Status.PUBLISHED)
                 for n in range(int(sys.argv[1]))]
        db.session.add_all([event, *talks])
        db.session.commit()
        print(json.dumps({"event": event.id, "talks": [t.id for t in talks]}))
""")


def wait_for(condition, timeout: float) -> bool:
    """Poll until condition() is true (for module-scoped fixtures, which cannot use wait_until)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def free_port() -> int:
    """A loopback port that is free now, chosen by the kernel: two suites running side by side (CI's
    SQLite and PostgreSQL passes) do not pick the same one, as they would scanning from a fixed start."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(tmp_path: Path, **settings) -> dict:
    return {**os.environ, "SECRET_KEY": "stats-test-secret",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "search-index"), "UPLOAD_DIR": str(tmp_path / "up"),
            "PAGE_CACHE_DIR": str(tmp_path / "page-cache"),
            "SEARCH_WRITER": "off", "SLIDES_WORKER": "off", "TRUSTED_PROXY_COUNT": "1",
            "STATS_FLUSH_SECONDS": "0.5", "PYTHONPATH": str(ROOT),
            **{name: str(value) for name, value in settings.items()}}


def migrate_and_seed(env: dict, talks: int = 3) -> dict:
    """`flask db upgrade`, then a published event "journee" with published talks "expose-0", ..."""
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    seeded = subprocess.run([sys.executable, "-c", SEED_PROGRAM, str(talks)], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True)
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def create_account(env: dict, folder: Path, email: str, password: str, role: str = "organiser") -> None:
    """`flask users create EMAIL --role ROLE --password-file F`, as a person runs it."""
    password_file = folder / f"password-{role}"
    password_file.write_text(password + "\n")
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "users", "create", email, "--role", role,
                    "--password-file", str(password_file)], env=env, cwd=ROOT, check=True, capture_output=True)


def start_gunicorn(env: dict, log_path: Path, workers: int = 3) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--access-logfile", "-", "wsgi:app"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return process, f"http://127.0.0.1:{port}"


def stop_gunicorn(process: subprocess.Popen) -> None:
    """A graceful stop: every worker's exit hook runs (the collector writes what it holds)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=GENEROUS_SECONDS)


def answers(base: str) -> bool:
    try:
        return send(base, "/", "", "Mozilla/5.0 probe-free startup check (Firefox)")[0] in (200, 404)
    except OSError:
        return False


def send(base: str, path: str, address: str, user_agent: str, method: str = "GET") -> tuple[int, str]:
    headers = {"User-Agent": user_agent}
    if address:
        headers["X-Forwarded-For"] = address
    request = urllib.request.Request(base + path, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status, response.headers.get("Set-Cookie", "")


# A client process: sends the hits of a plan (JSON [[path, address, user agent, method], ...])
# from 4 threads at once and prints the statuses.
CLIENT_PROGRAM = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from stats_server import run_plan
    print(json.dumps(run_plan(sys.argv[2], json.loads(sys.stdin.read()))))
""")


def run_plan(base: str, plan: list) -> list:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda hit: send(base, *hit), plan))


def run_clients(base: str, plans: list[list]) -> list:
    """Each plan in its own process, all at once; the (status, Set-Cookie) of every hit."""
    clients = [subprocess.Popen([sys.executable, "-c", CLIENT_PROGRAM, str(ROOT / "tests"), base],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in plans]
    results = []
    for client, plan in zip(clients, plans):
        out, err = client.communicate(json.dumps(plan), timeout=GENEROUS_SECONDS * 2)
        assert client.returncode == 0, err
        results.extend(json.loads(out))
    return results


def browser(n: int) -> str:
    return BROWSER.format(n=n)


def known_plans(ids: dict, clients: int = 4) -> tuple[list[list], dict]:
    """What each client process sends, and the counts the rules leave of it:
    shared visitors repeat the same talk from every process (so across workers), own visitors
    view a talk once and the event twice, one address with several browsers counts once per
    browser; bots, HEAD requests and missing pages count nothing."""
    import random

    event, (talk0, talk1, talk2) = ids["event"], ids["talks"]
    plans = []
    for p in range(clients):
        plan = [["/talks/expose-0", f"10.1.0.{v}", browser(v % 3), "GET"] for v in range(30)]
        for v in range(15):
            plan.append(["/talks/expose-1", f"10.2.{p}.{v}", browser(v), "GET"])
            plan += [["/events/journee", f"10.2.{p}.{v}", browser(v), "GET"]] * 2
        plan.append(["/talks/expose-2", "10.3.0.1", browser(p), "GET"])
        plan.append(["/talks/expose-2", "10.3.0.2", browser(0), "GET"])
        for i, bot in enumerate(BOTS):
            plan += [[path, f"10.4.{p}.{i}", bot, "GET"]
                     for path in ("/talks/expose-0", "/talks/expose-2", "/events/journee")]
        plan += [["/talks/expose-1", f"10.5.{p}.{v}", browser(v), "HEAD"] for v in range(5)]
        random.Random(p).shuffle(plan)
        plans.append(plan)
    expected = {("talk_view", talk0): 30, ("talk_view", talk1): 15 * clients,
                ("event_view", event): 15 * clients, ("talk_view", talk2): clients + 1}
    return plans, expected


def database_rows(database: Path, sql: str) -> list:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def counted_total(database: Path) -> int:
    return database_rows(database, "SELECT COALESCE(SUM(count), 0) FROM daily_counts")[0][0]


def daily_counts(database: Path) -> dict:
    return {(metric, object_id): count for metric, object_id, count in database_rows(
        database, "SELECT metric, object_id, count FROM daily_counts")}


# --- a visitor or an organiser, with cookies ----------------------------------------------------

CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Browser:
    """An HTTP client with its own cookies (a visitor, or the logged-in organiser)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects())

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """GET, or POST data (a list value is sent as repeated fields, as ticked boxes are)."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"User-Agent": "Mozilla/5.0 Firefox"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, form_path: str, data: dict, action: str | None = None) -> int:
        """Post data with the CSRF token of the form at form_path; the answer's status."""
        status, page = self.open(form_path)
        assert status == 200, page[:500]
        return self.open(action or form_path, {**data, "csrf_token": CSRF_TOKEN.search(page).group(1)})[0]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- a scratch database on the TEST_DATABASE_URL server --------------------------------------------

def database_engine(url: str, **options):
    """An engine for url; postgres:// and postgresql:// URLs use the psycopg 3 driver."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, **options)


def query_rows(url: str, query: str, **parameters) -> list[tuple]:
    """The rows of one SQL query on the database at url (SQLite or PostgreSQL)."""
    from sqlalchemy import text

    engine = database_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query), parameters)]
    finally:
        engine.dispose()


def execute_statement(url: str, query: str, **parameters) -> None:
    """One SQL statement on the database at url, committed."""
    from sqlalchemy import text

    engine = database_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(query), parameters)
    finally:
        engine.dispose()


@contextmanager
def fresh_database(folder: Path, prefix: str = "causeries_commands"):
    """The URL of an empty database: on the TEST_DATABASE_URL server (named prefix_<random>, dropped
    afterwards), or a SQLite file in folder."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{folder / 'causeries.db'}"
        return
    name = f"{prefix}_{secrets.token_hex(4)}"
    server = database_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()
