"""Real processes writing at once: two writers creating the same speaker, tag, series or event both
succeed, on SQLite and on PostgreSQL, and so do two imports, or an import and an organiser.

The first writer flushes its new rows, says so, and holds its transaction open until the second
one has looked for those rows and is waiting on the first one's lock (PostgreSQL tells which
backends wait; on SQLite, an organiser says when it starts, an import is given a few seconds):
the race happens every time, not by luck."""
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from webapp.core.naming import person_name_key
from webapp.importing.pyvideo_records import PYVIDEO_DATA_DIR
from webapp.models import Event, Series, Speaker, Tag, Talk, TalkSpeaker

ROOT = Path(__file__).resolve().parents[2]
SETTLE_SECONDS = 1  # from a challenger's start to its lookup, and its wait on the lock
IMPORT_START_SECONDS = 4  # from `flask import` to the import's first lookup, on SQLite
GENEROUS_SECONDS = 120
SHIPPED_TALKS, SHIPPED_SPEAKERS = 493, 380

# An organiser saving a talk (or an event) in its own process, committing at the edge.
ORGANISER_PROGRAM = textwrap.dedent("""
    import pathlib, sys, time
    from sqlalchemy import select
    from webapp import create_app
    from webapp.catalogue.operations.events import create_event
    from webapp.catalogue.operations.talks import create_talk
    from webapp.extensions import db
    from webapp.models import Event, User

    what, name, ready, go = sys.argv[1:5]
    app = create_app({"SEARCH_WRITER": "off", "SLIDES_WORKER": "off"})
    with app.app_context():
        user = db.session.scalar(select(User))
        pathlib.Path(ready + ".started").write_text("started")
        if what == "talk":
            event = db.session.scalar(select(Event).order_by(Event.id))
            create_talk(user, {"title": "Exposé de " + name, "event_id": event.id, "speakers": name,
                               "tags": name, "series_title": "Cycle " + name})
        else:
            create_event(user, {"title": name, "tags": name})
        db.session.flush()
        pathlib.Path(ready).write_text("flushed")
        deadline = time.monotonic() + 60
        while go != "-" and not pathlib.Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        db.session.commit()
        print("committed", flush=True)
""")


@pytest.fixture
def child_env(app):
    return {**os.environ, "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "SEARCH_WRITER": "off", "SLIDES_WORKER": "off", "PYTHONPATH": str(ROOT)}


@pytest.fixture
def organiser_world(db, make_user, make_event):
    make_user("organiser")
    make_event("Journée des bibliothèques")
    db.session.commit()


def start(env, arguments: list[str]) -> subprocess.Popen:
    return subprocess.Popen(arguments, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def start_organiser(env, tmp_path, what: str, name: str, go: str = "-"):
    """An organiser's process; it commits once the file `go` exists ("-": at once)."""
    ready = tmp_path / f"ready-{time.monotonic_ns()}"
    child = start(env, [sys.executable, "-c", ORGANISER_PROGRAM, what, name, str(ready), go])
    return child, ready


def wait_for(path: Path, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + GENEROUS_SECONDS
    while not path.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, f"{path.name} never came"
        time.sleep(0.05)


def finish(child: subprocess.Popen) -> tuple[str, str]:
    out, err = child.communicate(timeout=GENEROUS_SECONDS)
    assert child.returncode == 0, err
    assert "Traceback" not in err
    return out, err


def waiting_backends(db) -> int:
    return db.session.scalar(text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type IN ('Lock', 'Advisory')"))


def wait_until_blocked(db, child: subprocess.Popen, started: Path | None) -> None:
    """Until the challenger waits on the holder's lock (PostgreSQL) or has surely looked."""
    if db.engine.dialect.name == "postgresql":
        deadline = time.monotonic() + GENEROUS_SECONDS
        while not waiting_backends(db):
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the second writer never waited on the first"
            time.sleep(0.05)
            db.session.rollback()
    elif started is not None:
        wait_for(started, child)
    else:
        time.sleep(IMPORT_START_SECONDS)
    time.sleep(SETTLE_SECONDS)


def race(db, env, tmp_path, first: tuple, second) -> tuple[tuple, tuple]:
    """The first writer (an organiser) flushes and holds its transaction; the second starts,
    looks for the same rows and waits; then the first commits. second() -> (process, started)."""
    go = tmp_path / f"go-{time.monotonic_ns()}"
    holder, ready = start_organiser(env, tmp_path, *first, go=str(go))
    wait_for(ready, holder)
    challenger, started = second()
    wait_until_blocked(db, challenger, started)
    go.write_text("go")
    return finish(holder), finish(challenger)


def organiser(env, tmp_path, what: str, name: str):
    child, ready = start_organiser(env, tmp_path, what, name)
    return child, Path(f"{ready}.started")


def count(db, model, *where) -> int:
    db.session.rollback()  # see what the children committed
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_two_organisers_saving_a_talk_with_the_same_new_speaker_tag_and_series(
        db, organiser_world, child_env, tmp_path):
    name = "Noémie Lefèvre"
    race(db, child_env, tmp_path, ("talk", name),
         lambda: organiser(child_env, tmp_path, "talk", name))
    assert count(db, Talk) == 2
    assert count(db, Speaker, Speaker.name_key == person_name_key(name)) == 1
    assert count(db, Tag) == 1
    assert count(db, Series, Series.title == f"Cycle {name}") == 1
    speaker_id = db.session.scalar(select(Speaker.id))
    assert count(db, TalkSpeaker, TalkSpeaker.speaker_id == speaker_id) == 2


def test_two_organisers_creating_events_of_the_same_title_get_two_slugs(
        db, organiser_world, child_env, tmp_path):
    race(db, child_env, tmp_path, ("event", "Rencontres numériques"),
         lambda: organiser(child_env, tmp_path, "event", "Rencontres numériques"))
    slugs = db.session.scalars(select(Event.slug).where(Event.title == "Rencontres numériques"))
    assert sorted(slugs) == ["rencontres-numeriques", "rencontres-numeriques-2"]
    assert count(db, Tag) == 1


def flask_import(env, directory: Path) -> subprocess.Popen:
    return start(env, [str(Path(sys.executable).parent / "flask"), "--app", "webapp",
                       "import", "pyvideo", str(directory), "--workers", "0"])


def test_two_imports_at_once_both_succeed(db, child_env):
    imports = [flask_import(child_env, PYVIDEO_DATA_DIR) for _ in range(2)]
    outputs = [finish(child) for child in imports]
    created = sorted(int(out.split("Talks: ")[1].split(" (")[1].split(" ")[0]) for out, _ in outputs)
    assert created == [0, SHIPPED_TALKS]  # one imported everything, the other found it there
    assert count(db, Talk) == SHIPPED_TALKS
    assert count(db, Speaker) == SHIPPED_SPEAKERS


def write_event(root: Path, speaker: str) -> Path:
    videos = root / "journee-2016" / "videos"
    videos.mkdir(parents=True)
    (root / "journee-2016" / "category.json").write_text(json.dumps({"title": "Journée 2016"}))
    record = {"title": "Bibliothèques et jeux vidéo", "description": "Un retour d'expérience.",
              "speakers": [speaker], "tags": [speaker], "recorded": "2016-10-05",
              "language": "fra", "duration": 1500,
              "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=abc"}]}
    (videos / "jeux.json").write_text(json.dumps(record), encoding="utf-8")
    return root


def test_an_import_while_an_organiser_saves_a_talk_with_the_same_new_speaker(
        db, organiser_world, child_env, tmp_path):
    name = "Bérénice Marchand"
    tree = write_event(tmp_path / "tree", name)
    (_, _), (out, err) = race(db, child_env, tmp_path, ("talk", name),
                              lambda: (flask_import(child_env, tree), None))
    assert "Talks: 1 (1 created" in out
    assert count(db, Speaker, Speaker.name_key == person_name_key(name)) == 1
    speaker_id = db.session.scalar(select(Speaker.id))
    assert count(db, TalkSpeaker, TalkSpeaker.speaker_id == speaker_id) == 2
    assert count(db, Tag) == 1


@pytest.fixture
def app_config():
    return {"DATABASE_LOCK_TIMEOUT": 1}


def test_a_writer_that_waits_out_the_lock_timeout_gets_503_and_nothing_is_kept(
        db, organiser_world, child_env, tmp_path, manage_client, submit_form):
    """The other writer holds its lock past DATABASE_LOCK_TIMEOUT (1 s here)."""
    name = "Capucine Roux"
    client, _ = manage_client()
    go = tmp_path / "go"
    holder, ready = start_organiser(child_env, tmp_path, "talk", name, go=str(go))
    wait_for(ready, holder)
    event_id = db.session.scalar(select(Event.id))
    response = submit_form(client, "/manage/talks/new", {
        "event_id": str(event_id), "title": "Un autre exposé", "language": "fr", "speakers": name})
    go.write_text("go")
    finish(holder)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Nothing of yours was saved" in response.get_data(as_text=True)
    assert count(db, Talk, Talk.title == "Un autre exposé") == 0
    assert count(db, Speaker) == 1


def test_a_command_whose_record_keeps_clashing_names_it_and_keeps_nothing(db, app):
    import click

    from webapp.core.commands import commit_retrying
    from webapp.models import Tag as TagRow

    db.session.add(TagRow(name="fablab"))
    db.session.commit()

    def clashing_work():
        db.session.add(TagRow(name="bibliotheque"))
        db.session.add(TagRow(name="fablab"))  # someone else's, every time
        db.session.flush()

    with pytest.raises(click.ClickException) as raised:
        commit_retrying(clashing_work)
    message = raised.value.message
    assert message.startswith("Nothing was saved: another writer created a tag")
    assert "3 times in a row" in message
    assert count(db, Tag) == 1
