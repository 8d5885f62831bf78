"""The workspace's schedule import (/manage/import/schedule) and `flask import schedule` as a process."""
import os
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.models import Event, Talk

DATA = Path(__file__).parent / "data" / "frab"
ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"
PAGE = "/manage/import/schedule"


@pytest.fixture
def app_config():
    return {"SCHEDULE_FETCH_MAX_BYTES": 100_000}


def csrf(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(PAGE).get_data(as_text=True)).group(1)


def post(client, data: bytes | None = None, name="schedule.xml", **fields):
    form = {"csrf_token": csrf(client), **fields}
    if data is not None:
        form["file"] = (BytesIO(data), name)
    return client.post(PAGE, content_type="multipart/form-data", data=form)


def test_an_organiser_imports_a_file_and_reads_the_report(manage_client, db):
    client, _user = manage_client()
    page = client.get(PAGE)
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)
    response = post(client, (DATA / "bad-record.xml").read_bytes())
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="talks-created">1<', text)
    assert "55555555-5555-4555-8555-000000000002" in text and "created as a draft" in text
    again = post(client, (DATA / "bad-record.xml").read_bytes()).get_data(as_text=True)
    assert re.search(r'id="talks-created">0<', again) and re.search(r'id="talks-updated">0<', again)
    assert "was found again" in again
    assert db.session.scalar(select(func.count()).select_from(Talk)) == 1


@pytest.mark.parametrize(("fields", "data", "status", "message"), [
    ({}, None, 400, "Choose a schedule file"),
    ({"url": "file:///etc/passwd"}, None, 400, "Only http and https"),
    ({"url": "http://127.0.0.1:9/schedule.xml"}, None, 400, "private or local network"),
    ({"url": "http://[::1]/schedule.xml"}, None, 400, "private or local network"),
    ({}, b"<!DOCTYPE x [<!ENTITY a 'b'>]><schedule/>", 400, "refused for safety"),
    ({}, b"x" * 200_000, 413, "larger than the limit"),
])
def test_refusals_are_clear_and_keep_nothing(manage_client, db, fields, data, status, message):
    client, _user = manage_client()
    response = post(client, data, **fields)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_speakers_and_visitors_cannot_import(app, manage_client):
    anonymous = app.test_client()
    assert anonymous.get(PAGE).status_code == 302
    assert anonymous.post(PAGE, data=b"x" * 200_000).status_code == 302  # refused before the body is read
    speaker, _user = manage_client("speaker")
    assert speaker.get(PAGE).status_code == 403


def test_a_post_without_csrf_token_is_refused(manage_client, db):
    client, _user = manage_client()
    response = client.post(PAGE, content_type="multipart/form-data",
                           data={"file": (BytesIO((DATA / "minimal.xml").read_bytes()), "schedule.xml")})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_the_events_list_links_the_import(manage_client):
    client, _user = manage_client()
    assert f'href="{PAGE}"' in client.get("/manage/events/").get_data(as_text=True)


def test_the_talk_page_shows_room_and_links(client, db, make_talk):
    make_talk("Une causerie", slug="une-causerie", room="Salle des fêtes",
              links=[{"url": "https://example.org/billet", "label": "Le billet"}, {"url": "javascript:alert(1)"}])
    db.session.commit()
    page = client.get("/talks/une-causerie").get_data(as_text=True)
    assert "Salle des fêtes" in page and 'href="https://example.org/billet"' in page
    assert "javascript:" not in page


# `flask import schedule`, as a person runs it ---------------------------------------------

def flask(tmp_path, *arguments, expect=0):
    environment = {**os.environ, "FLASK_APP": "webapp", "SECRET_KEY": "schedule-cli", "SEARCH_WRITER": "off",
                   "SLIDES_WORKER": "off", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
                   "SEARCH_INDEX_DIR": str(tmp_path / "index"), "UPLOAD_DIR": str(tmp_path / "uploads"),
                   "PAGE_CACHE_DIR": str(tmp_path / "page-cache"), "PYTHONPATH": str(ROOT)}
    environment.pop("TEST_DATABASE_URL", None)
    done = subprocess.run([str(FLASK), *arguments], env=environment, cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == expect, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


def test_the_command_imports_then_changes_nothing_then_refuses_clearly(tmp_path):
    flask(tmp_path, "db", "upgrade")
    source = str(DATA / "pretalx-democon.json")
    first = flask(tmp_path, "import", "schedule", source)
    assert "Talks: 36 (36 created" in first.stdout and "created as a draft" in first.stdout
    again = flask(tmp_path, "import", "schedule", source)
    assert "Talks: 36 (0 created, 0 updated, 36 unchanged)" in again.stdout
    bad = flask(tmp_path, "import", "schedule", str(DATA / "invalid-example.json"))
    assert "Records skipped: 1" in bad.stdout and "dsadf" in bad.stderr
    for refused, message in [("http://127.0.0.1/schedule.xml", "private or local network"),
                             (str(DATA / "billion-laughs.xml"), "refused for safety")]:
        assert message in flask(tmp_path, "import", "schedule", refused, expect=1).stderr
