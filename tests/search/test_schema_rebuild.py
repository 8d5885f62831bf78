"""An index built with an older schema is rebuilt by the elected writer by itself: searches keep
answering meanwhile, changes committed meanwhile are kept, and `flask search status` says so."""
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import search_index.writer as index_writer
from search_index.schema import build_schema
from webapp.search import indexing
from webapp.search.indexing import check_index, get_search_index, rebuild_index
from webapp.search.writer import IndexWriter, writer_election

ROOT = Path(__file__).resolve().parents[2]
GENEROUS_SECONDS = 60
LABEL_TEXT_FIELDS = ("tags_text_fr", "tags_text_en", "event_text_fr", "event_text_en")


def schema_before_label_fields():
    """The schema before tags and event text went through both chains: these fields did not exist."""
    schema = build_schema()
    for name in LABEL_TEXT_FIELDS:
        schema.remove(name)
    return schema


@pytest.fixture
def index_of_an_older_schema(db, drain, monkeypatch):
    """index_of_an_older_schema(): drain what is queued as code written before this schema (and
    before generations recorded their schema's fingerprint) did; returns the generation's name."""
    def build():
        with monkeypatch.context() as older_code:
            older_code.setattr(index_writer, "build_schema", schema_before_label_fields)
            drain()
        generation = get_search_index().schema_state().generation
        os.unlink(Path(get_search_index().path) / generation / index_writer.FINGERPRINT_FILE)
        return generation

    return build


@pytest.fixture
def writer(app):
    running = IndexWriter(app, poll_seconds=0.05)
    yield running
    running.stop()


def rebuild_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.name == indexing.log.name and record.levelno == logging.WARNING]


def test_the_writer_rebuilds_an_index_of_an_older_schema_then_finds_tag_words(
        db, make_talk, found, index_of_an_older_schema, writer, wait_until, caplog):
    talk = make_talk("Atelier du samedi", tags=["ludothèques"])
    db.session.commit()
    old_generation = index_of_an_older_schema()
    assert found("atelier") == [talk.slug] and found("ludothèque") == []
    assert get_search_index().schema_state().is_stale and not check_index().is_consistent
    caplog.set_level(logging.INFO, logger=indexing.log.name)
    writer.start()
    assert wait_until(lambda: found("ludothèque") == [talk.slug], GENEROUS_SECONDS)
    state = get_search_index().schema_state()
    assert not state.is_stale and state.generation != old_generation
    [warning] = rebuild_warnings(caplog)
    assert "schema" in warning and old_generation in warning and "no schema fingerprint" in warning
    assert check_index().is_consistent


def test_searches_answer_and_changes_are_kept_during_the_rebuild(
        db, make_talk, found, index_of_an_older_schema, writer, wait_until, monkeypatch):
    before = make_talk("Conte numérique", tags=["ludothèques"])
    db.session.commit()
    index_of_an_older_schema()
    documents_read, may_swap = threading.Event(), threading.Event()
    read_documents = indexing.iter_public_documents

    def documents_then_pause():  # the rebuild has read the database, and waits before its swap
        documents = list(read_documents())
        documents_read.set()
        assert may_swap.wait(GENEROUS_SECONDS)
        yield from documents

    monkeypatch.setattr(indexing, "iter_public_documents", documents_then_pause)
    writer.start()
    try:
        assert documents_read.wait(GENEROUS_SECONDS)
        assert found("conte") == [before.slug]  # answered by the old generation
        during = make_talk("Jeux coopératifs", tags=["ludothèques"])
        db.session.commit()
        assert found("coopératifs") == []
    finally:
        may_swap.set()
    expected = sorted([before.slug, during.slug])
    assert wait_until(lambda: sorted(found("ludothèque")) == expected, GENEROUS_SECONDS)
    assert found("jeux coopératifs") == [during.slug]


def test_an_index_of_the_current_schema_is_never_rebuilt(app, db, make_talk, drain, found, caplog):
    talk = make_talk("Atelier du samedi", tags=["ludothèques"])
    db.session.commit()
    drain()
    generation = get_search_index().schema_state().generation
    caplog.set_level(logging.INFO, logger=indexing.log.name)
    for _start in range(3):  # the writer starting again and again (each deployment, each worker)
        assert IndexWriter(app).work_once() == 0
    assert get_search_index().schema_state().generation == generation
    assert rebuild_warnings(caplog) == [] and found("ludothèque") == [talk.slug]


@pytest.fixture
def flask_command(app):
    environment = {**os.environ, "SECRET_KEY": "test-secret-key", "PYTHONPATH": str(ROOT),
                   "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                   "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "SEARCH_WRITER": "off"}

    def run(*arguments: str, expect: int = 0) -> str:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *arguments], env=environment,
                              cwd=ROOT, capture_output=True, text=True, timeout=GENEROUS_SECONDS)
        assert done.returncode == expect, done.stdout + done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout + done.stderr

    return run


def test_search_status_and_check_report_an_index_of_an_older_schema(
        app, db, make_talk, index_of_an_older_schema, flask_command):
    make_talk("Atelier du samedi", tags=["ludothèques"])
    db.session.commit()
    index_of_an_older_schema()
    unattended = flask_command("search", "status")
    assert "Schema: outdated: the index was built with an older schema" in unattended
    assert "run `flask search rebuild`" in unattended
    assert "older schema" in flask_command("search", "check", expect=1)
    election = writer_election(Path(app.config["SEARCH_INDEX_DIR"]))
    assert election.try_acquire()  # as a running writer holds it
    try:
        assert "older schema; it is being rebuilt by the search writer" in flask_command("search", "status")
    finally:
        election.release()
    rebuild_index()
    db.session.rollback()
    current = flask_command("search", "status")
    assert "Schema: current" in current and "older schema" not in current


def test_a_failed_rebuild_is_retried_later_and_the_queue_still_drains(
        app, db, make_talk, found, index_of_an_older_schema, monkeypatch, caplog):
    make_talk("Conte numérique")
    db.session.commit()
    index_of_an_older_schema()
    attempts = []

    def unreadable_database():
        attempts.append(1)
        raise RuntimeError("database gone away")
        yield

    monkeypatch.setattr(indexing, "iter_public_documents", unreadable_database)
    talk = make_talk("Atelier du samedi", tags=["ludothèques"])
    db.session.commit()
    writer = IndexWriter(app)
    with caplog.at_level(logging.ERROR, logger="webapp.search.writer"):
        writer.work_once()
        writer.work_once()
    assert len(attempts) == 1 and "rebuilding the search index" in caplog.text
    assert found("atelier") == [talk.slug]  # drained into the old generation meanwhile
    assert get_search_index().schema_state().is_stale
