"""Every command of the README's table, run as a person types it: a `flask` (or `make`) process in a
shell-like environment, on one archive made by the first commands and used by the next ones.
`make test` and `make lint` are what CI runs; `make bench` is run by hand (it takes minutes).

With TEST_DATABASE_URL (PostgreSQL), the commands work on a database of their own, created on that
server for the module and dropped afterwards; otherwise on a SQLite file."""
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from stats_server import execute_statement, free_port, fresh_database, query_rows

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"
GENEROUS_SECONDS = 120
pytestmark = pytest.mark.database


def command_environment(folder: Path, database_url: str) -> dict:
    environment = {**os.environ, "FLASK_APP": "webapp", "SECRET_KEY": "readme-commands-secret",
                   "DATABASE_URL": database_url, "SEARCH_INDEX_DIR": str(folder / "search-index"),
                   "UPLOAD_DIR": str(folder / "uploads"), "MAIL_DIR": str(folder / "mail"),
                   "PAGE_CACHE_DIR": str(folder / "page-cache"), "PYTHONPATH": str(ROOT)}
    environment.pop("TEST_DATABASE_URL", None)
    return environment


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The environment of the commands: a database, index, uploads and mails of their own."""
    folder = tmp_path_factory.mktemp("readme-commands")
    with fresh_database(folder) as database_url:
        environment = {**command_environment(folder, database_url), "SEARCH_WRITER": "off", "SLIDES_WORKER": "off"}
        yield folder, environment


def flask(archive, *arguments: str, expect: int = 0) -> subprocess.CompletedProcess:
    _folder, environment = archive
    done = subprocess.run([str(FLASK), *arguments], env=environment, cwd=ROOT, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=GENEROUS_SECONDS)
    assert done.returncode == expect, f"flask {' '.join(arguments)}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


def rows(archive, query: str, **parameters) -> list[tuple]:
    return query_rows(archive[1]["DATABASE_URL"], query, **parameters)


def execute(archive, query: str, **parameters) -> None:
    execute_statement(archive[1]["DATABASE_URL"], query, **parameters)


def open_sessions(archive, email: str, count: int) -> None:
    """Sessions as logins leave them (webapp/accounts/sessions.py), far from expiring."""
    for n in range(count):
        execute(archive, "INSERT INTO user_sessions (user_id, token_hash, created_at, expires_at) "
                         "SELECT id, :hash, :now, :later FROM users WHERE email = :email",
                hash=f"{email}-{n}-{time.monotonic_ns()}".ljust(64, "0")[:64], email=email,
                now=datetime.now(timezone.utc), later=datetime.now(timezone.utc) + timedelta(days=30))


def session_count(archive, email: str) -> int:
    return one_value(archive, "SELECT count(*) FROM user_sessions JOIN users ON users.id = user_id "
                              "WHERE email = :email", email=email)


def one_value(archive, query: str, **parameters):
    return rows(archive, query, **parameters)[0][0]


def test_db_upgrade_then_demo_load_if_empty(archive):
    flask(archive, "db", "upgrade")
    loaded = flask(archive, "demo", "load", "--if-empty")
    assert "Seed study day: loaded" in loaded.stdout and "Talks: 493 (493 created" in loaded.stdout
    assert "nothing loaded" in flask(archive, "demo", "load", "--if-empty").stdout
    assert "Seed study day: unchanged" in flask(archive, "demo", "load").stdout


def test_import_pyvideo_again_changes_nothing(archive):
    imported = flask(archive, "import", "pyvideo", str(ROOT / "data" / "pyvideo-fr"), "--workers", "0")
    assert "0 created" in imported.stdout and "Records skipped: 0" in imported.stdout
    missing = flask(archive, "import", "pyvideo", "/no/such/folder", expect=2)
    assert "does not exist" in missing.stderr


def test_import_csv_dry_run_then_import_then_again(archive, tmp_path):
    sheet = tmp_path / "programme.csv"
    sheet.write_bytes("Événement;Titre;Intervenant(e)s;Date\r\n"
                      "Journée tableur 2016;Café numérique;Léa Dupont et Paul Durand;05/10/2016\r\n"
                      "Journée tableur 2016;;Personne;06/10/2016\r\n".encode("cp1252"))
    dry = flask(archive, "import", "csv", str(sheet), "--dry-run")
    assert "1 created" in dry.stdout and "row 3: The title is empty." in dry.stderr
    assert one_value(archive, "SELECT count(*) FROM events WHERE title = 'Journée tableur 2016'") == 0
    assert "1 created" in flask(archive, "import", "csv", str(sheet)).stdout
    assert "1 unchanged" in flask(archive, "import", "csv", str(sheet)).stdout
    given_on = one_value(archive, "SELECT given_on FROM talks WHERE title = 'Café numérique'")
    assert str(given_on) == "2016-10-05"  # day first: the 5th of October
    assert "needs a title column" in flask(archive, "import", "csv", str(ROOT / "README.md"), expect=1).stderr
    (tmp_path / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    refused = flask(archive, "import", "csv", str(tmp_path / "photo.xlsx"), expect=1)
    assert "neither a CSV text file nor an XLSX workbook" in refused.stderr


def test_import_schedule_then_again(archive):
    schedule = str(ROOT / "tests" / "importing" / "data" / "frab" / "days-and-rooms.xml")
    assert "Talks: 3 (3 created" in flask(archive, "import", "schedule", schedule).stdout
    assert "Talks: 3 (0 created, 0 updated, 3 unchanged)" in flask(archive, "import", "schedule", schedule).stdout
    assert "Only http and https" in flask(archive, "import", "schedule", "ftp://example.org/s.xml", expect=1).stderr


def test_export_archive_then_import_it_into_an_empty_database(archive, tmp_path):
    full, public = tmp_path / "full", tmp_path / "public"
    exported = flask(archive, "export", "archive", str(full))
    talks = one_value(archive, "SELECT count(*) FROM talks")
    assert f"{talks} talks" in exported.stdout
    events = one_value(archive, "SELECT count(*) FROM events")
    assert (full / "manifest.json").is_file() and len(list(full.glob("*/schedule.xml"))) == events
    assert "is not empty" in flask(archive, "export", "archive", str(full), expect=1).stderr
    flask(archive, "export", "archive", str(full), "--force")
    assert "talks" in flask(archive, "export", "archive", str(public), "--public").stdout
    assert (public / "manifest.json").is_file()
    with fresh_database(tmp_path) as empty_url:
        restored = (tmp_path, {**archive[1], "DATABASE_URL": empty_url,
                               "SEARCH_INDEX_DIR": str(tmp_path / "restored-index"),
                               "UPLOAD_DIR": str(tmp_path / "restored-uploads")})
        flask(restored, "db", "upgrade")
        assert f"{talks} talks" in flask(restored, "import", "archive", str(full)).stdout
        assert one_value(restored, "SELECT count(*) FROM talks") == talks
        assert "already holds" in flask(restored, "import", "archive", str(full), expect=1).stderr


def test_export_static_writes_a_copy_that_searches_offline(archive, tmp_path):
    copy = tmp_path / "copy"
    written = flask(archive, "export", "static", str(copy))
    assert re.search(r"Static copy: \d+ pages, \d+ files", written.stdout)
    assert (copy / "index.html").is_file() and (copy / "search" / "index.html").is_file()
    assert "Levallois" in (copy / "index.html").read_text() + "".join(
        path.read_text() for path in copy.glob("talks/*levallois*/index.html"))


def test_users_create_set_password_token_list_revoke(archive, tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text("un mot de passe assez long\n")
    created = flask(archive, "users", "create", "Orga@Example.org", "--role", "organiser",
                    "--password-file", str(password_file))
    assert "Created organiser orga@example.org." in created.stdout
    password_file.write_text("un autre mot de passe long\n")
    open_sessions(archive, "orga@example.org", 1)
    assert "Password changed" in flask(archive, "users", "set-password", "orga@example.org",
                                       "--password-file", str(password_file)).stdout
    assert session_count(archive, "orga@example.org") == 0  # a new password ends every session
    open_sessions(archive, "orga@example.org", 2)
    ended = flask(archive, "users", "end-sessions", "orga@example.org").stdout
    assert "Ended 2 session(s)." in ended and session_count(archive, "orga@example.org") == 0
    token = flask(archive, "users", "token", "orga@example.org").stdout.strip()
    assert len(token) > 30
    listed = flask(archive, "users", "list").stdout
    assert "orga@example.org\torganiser\tactive" in listed and token[:8] in listed
    assert "Revoked 1 token(s)." in flask(archive, "users", "revoke", "orga@example.org").stdout
    assert "tokens: -" in flask(archive, "users", "list").stdout
    duplicate = flask(archive, "users", "create", "orga@example.org", "--role", "organiser",
                      "--password-file", str(password_file), expect=1)
    assert "Error:" in duplicate.stderr


def test_speakers_invite_mails_the_link_and_prints_it(archive):
    folder, _environment = archive
    slug = one_value(archive, "SELECT slug FROM speakers ORDER BY slug LIMIT 1")
    mailed = flask(archive, "speakers", "invite", slug, "intervenante@example.org")
    link = mailed.stdout.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8000/claim/")
    [mail] = (folder / "mail").glob("*.eml")
    assert "intervenante@example.org" in mail.read_text()
    quiet = flask(archive, "speakers", "invite", slug, "autre@example.org", "--no-mail")
    assert quiet.stdout.strip().startswith("http://127.0.0.1:8000/claim/")
    assert len(list((folder / "mail").glob("*.eml"))) == 1
    assert "No speaker has the slug" in flask(archive, "speakers", "invite", "nobody", "x@example.org",
                                              expect=1).stderr


def test_speakers_merge_moves_the_talks(archive):
    survivor, duplicate = _two_speakers(archive)
    talks_before = one_value(archive, "SELECT count(DISTINCT talk_id) FROM talk_speakers WHERE speaker_id IN "
                                      "(SELECT id FROM speakers WHERE slug IN (:a, :b))", a=survivor, b=duplicate)
    merged = flask(archive, "speakers", "merge", survivor, duplicate)
    assert f"Merged {duplicate} into {survivor}" in merged.stdout
    assert one_value(archive, "SELECT count(*) FROM talk_speakers WHERE speaker_id = "
                              "(SELECT id FROM speakers WHERE slug = :slug)", slug=survivor) == talks_before
    assert "into itself" in flask(archive, "speakers", "merge", survivor, survivor, expect=1).stderr


def _two_speakers(archive) -> list[str]:
    return [row[0] for row in rows(archive, "SELECT slug FROM speakers ORDER BY slug DESC LIMIT 2")]


def test_slides_add_process_prune(archive, tmp_path, make_pdf):
    talk = one_value(archive, "SELECT slug FROM talks ORDER BY id LIMIT 1")
    deck = tmp_path / "diaporama.pdf"
    deck.write_bytes(make_pdf("Bienvenue à la médiathèque", "Merci"))
    added = flask(archive, "slides", "add", talk, str(deck), "--licence", "CC-BY-4.0", "--background")
    assert f"added as version 1 of {talk} (pdf)" in added.stdout
    assert "Decks processed: 1" in flask(archive, "slides", "process").stdout
    assert one_value(archive, "SELECT status FROM slide_decks ORDER BY id DESC LIMIT 1") == "ready"
    processed_now = flask(archive, "slides", "add", talk, str(deck))
    assert "ready, 2 pages" in processed_now.stdout
    assert "Files removed: 0" in flask(archive, "slides", "prune", "--min-age", "0").stdout
    hostile = tmp_path / "slides.pdf"
    hostile.write_bytes(b"MZ\x90\x00 not a slide deck")
    assert "415" in flask(archive, "slides", "add", talk, str(hostile), expect=1).stderr


def test_search_rebuild_check_status(archive):
    rebuilt = flask(archive, "search", "rebuild")
    assert "Indexed" in rebuilt.stdout
    assert "The index matches the database." in flask(archive, "search", "check").stdout
    status = flask(archive, "search", "status").stdout
    assert "Documents:" in status and "Generation: gen-" in status
    assert "Queue length: 0" in status and "Indexes following the search log (1;" in status
    pruned = flask(archive, "search", "prune").stdout  # the one index passed every entry but the newest
    assert pruned.startswith("Pruned ") and not pruned.startswith("Pruned 0 ")
    assert "Queue length: 0" in flask(archive, "search", "status").stdout


def test_related_rebuild_status_drain(archive):
    """`flask related rebuild` recomputes every talk's list; `status` and `drain` follow the queue."""
    talks = one_value(archive, "SELECT count(*) FROM talks")
    assert f"Related talks recomputed for {talks} talk(s)." in flask(archive, "related", "rebuild").stdout
    assert one_value(archive, "SELECT count(DISTINCT talk_id) FROM related_talks") > 0
    assert "Queue length: 0" in flask(archive, "related", "status").stdout
    execute(archive, "INSERT INTO related_queue (talk_id, created_at) "
                     "SELECT id, CURRENT_TIMESTAMP FROM talks ORDER BY id LIMIT 3")
    assert "Queue length: 3" in flask(archive, "related", "status").stdout
    assert "Related talks: 3 queue entrie(s) processed." in flask(archive, "related", "drain").stdout
    assert "Queue length: 0" in flask(archive, "related", "status").stdout


def test_summary_check_rebuild(archive):
    """After the demo, an import and a merge, the counts the public pages read are exact."""
    assert "The summary data is current." in flask(archive, "summary", "check").stdout
    execute(archive, "UPDATE tags SET public_talk_count = public_talk_count + 1")  # what tracking cannot see
    assert "flask summary rebuild" in flask(archive, "summary", "check", expect=1).stderr
    assert "recomputed" in flask(archive, "summary", "rebuild").stdout
    assert "The summary data is current." in flask(archive, "summary", "check").stdout


def ignore_sigint() -> None:
    """In the child, before it runs Python: SIGINT ignored, as for a job a shell starts in the background."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize(("group", "started", "stopped"), [
    ("search", "Search writer running", "Search writer stopped."),
    ("slides", "Slide worker running", "Stopped."),
    ("related", "Related worker running", "Related worker stopped."),
])
@pytest.mark.parametrize("inherited", ["default", "ignored"])
def test_foreground_workers_run_until_interrupted(archive, group, started, stopped, inherited):
    """Ctrl-C stops a worker at once after it says it runs, also when it started with SIGINT ignored
    (Python then never raises KeyboardInterrupt: the command sets its own handler)."""
    _folder, environment = archive
    environment = {**environment, "PYTHONFAULTHANDLER": "1"}  # SIGABRT prints every thread's stack
    with subprocess.Popen([str(FLASK), group, "worker"], env=environment, cwd=ROOT, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          preexec_fn=ignore_sigint if inherited == "ignored" else None) as worker:
        assert started in worker.stdout.readline()
        worker.send_signal(signal.SIGINT)
        try:
            out, err = worker.communicate(timeout=GENEROUS_SECONDS)
        except subprocess.TimeoutExpired:
            worker.send_signal(signal.SIGABRT)
            pytest.fail(f"`flask {group} worker` ignored Ctrl-C; where it was:\n{worker.communicate()[1][-6000:]}")
    assert worker.returncode == 0, err
    assert stopped in out and "Traceback" not in err


def test_stats_report(archive):
    report = flask(archive, "stats", "report", "--since", "2016-01-01", "--tag", "mednumsavoirs")
    assert "Searches that found nothing" in report.stdout
    assert "Invalid value" in flask(archive, "stats", "report", "--since", "hier", expect=2).stderr


def test_page_cache_clear(archive):
    assert "Page cache cleared: generation" in flask(archive, "page-cache", "clear").stdout


def test_oai_rebuild(archive):
    """Records lost to raw SQL come back; the demo's talks are all live records."""
    public = one_value(archive, "SELECT COUNT(*) FROM talks JOIN events ON events.id = talks.event_id "
                                "WHERE talks.status = 'published' AND events.status = 'published'")
    execute(archive, "DELETE FROM oai_records")  # what the tracking cannot see
    assert f"OAI records rebuilt: {public} live, 0 deleted." in flask(archive, "oai", "rebuild").stdout
    assert one_value(archive, "SELECT COUNT(*) FROM oai_records") == public


def test_make_run_serves_the_demo_archive(tmp_path):
    """`make run` on an empty database: migrations, the demo (its talk about Causeries with its slide
    viewer, transcript and video facade), and gunicorn on the given port, whose address the served
    pages' absolute URLs use; then `make serve` with a SITE_URL of its own."""
    port = free_port()
    with fresh_database(tmp_path) as database_url:
        environment = command_environment(tmp_path, database_url)
        del environment["SECRET_KEY"]  # make run writes instance/secret_key once and reads it
        environment.pop("SITE_URL", None)
        with _served(["make", "run", f"PORT={port}", "WORKERS=2"], environment) as server:
            assert _page_shows(f"http://127.0.0.1:{port}/", "mednumsavoirs", server)
            assert _page_shows(f"http://127.0.0.1:{port}/search?q=asyncio", "PyCon", server)
            assert _page_shows(f"http://127.0.0.1:{port}/search?q=horodatage", "#t=91", server)  # a moment said
            demo_talk = f"http://127.0.0.1:{port}/talks/publier-une-journee-d-etudes-avec-causeries"
            for shown in ("data-slide-stage", "horodatage", "data-video-facade"):  # viewer, transcript, facade
                assert _page_shows(demo_talk, shown, server)
            assert _canonical_url(f"http://127.0.0.1:{port}/") == f"http://127.0.0.1:{port}/"
        port = free_port()
        environment["SITE_URL"] = "https://causeries.example.org"
        with _served(["make", "serve", f"PORT={port}", "WORKERS=1"], environment) as server:
            assert _page_shows(f"http://127.0.0.1:{port}/", "mednumsavoirs", server)
            assert _canonical_url(f"http://127.0.0.1:{port}/") == "https://causeries.example.org/"


@contextmanager
def _served(command: list[str], environment: dict):
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=GENEROUS_SECONDS)


def _canonical_url(url: str) -> str:
    """The canonical link of the page: an absolute URL the served app builds (from SITE_URL)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode()
    return re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)


def _page_shows(url: str, text: str, server: subprocess.Popen) -> bool:
    """Polls the page until it answers 200 with `text` (the server is still starting, the demo is
    still being indexed); False if the server exits or five minutes pass."""
    import time

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if text in response.read().decode():
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False
