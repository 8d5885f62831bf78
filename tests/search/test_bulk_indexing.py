"""The index keeps up with bulk writes: a bulk import is drained in a few large commits, searches
answer meanwhile, a rebuild removes the queue entries it covers, a batch whose database commit
fails after its index commit is applied again, never lost, and the segments bulk drains leave are
merged. Real processes: `flask import pyvideo` commits the import, `flask search worker` drains it,
`flask search check` compares."""
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

import search_index.writer as index_writer
from bench.import_pyvideo import write_tree
from webapp.models import SearchIndexCursor, SearchQueueEntry
from webapp.search import indexing
from webapp.search.indexing import DRAIN_BATCH, check_index, get_search_index, queue_length, rebuild_index
from webapp.search.writer import IndexWriter

ROOT = Path(__file__).resolve().parents[2]
GENEROUS_SECONDS = 300  # a loaded machine imports and drains a few thousand talks well within it
BULK_TALKS = 2500
ENTRIES_PER_COMMIT = 2000  # at least: thousands of queue entries go into each index commit


@pytest.fixture
def child_env(app):
    return {**os.environ, "SECRET_KEY": "test-secret-key", "PYTHONPATH": str(ROOT),
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "SEARCH_WRITER": "off"}


@pytest.fixture
def flask_command(child_env):
    def run(*arguments: str) -> str:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *arguments], env=child_env,
                              cwd=ROOT, capture_output=True, text=True, timeout=GENEROUS_SECONDS)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    return run


@pytest.fixture
def bulk_import(db, flask_command, tmp_path):
    """bulk_import(): BULK_TALKS talks committed by `flask import pyvideo`; returns the entries queued."""
    def run() -> int:
        write_tree(tmp_path / "pyvideo", BULK_TALKS, events=10, speaker_count=BULK_TALKS // 3)
        assert f"Talks: {BULK_TALKS} ({BULK_TALKS} created" in flask_command("import", "pyvideo",
                                                                              str(tmp_path / "pyvideo"))
        db.session.rollback()  # see the child's commit
        return queue_length()

    return run


def counting_commits(monkeypatch) -> list:
    """The index commits of this process from now on: one per SearchIndex.apply() call."""
    index, commits = get_search_index(), []
    apply = index.apply

    def counted(*args, **kwargs):
        commits.append(kwargs)
        return apply(*args, **kwargs)

    monkeypatch.setattr(index, "apply", counted)
    return commits


def test_a_bulk_import_is_drained_in_a_few_large_commits(db, bulk_import, drain, flask_command, monkeypatch):
    queued = bulk_import()
    assert queued > 2 * BULK_TALKS  # the talks, and their speakers again with each of their talks
    commits = counting_commits(monkeypatch)
    assert drain() == queued
    assert commits and queued / len(commits) >= ENTRIES_PER_COMMIT
    assert len(commits) <= math.ceil(queued / DRAIN_BATCH)
    assert queue_length() == 0
    assert "The index matches the database." in flask_command("search", "check")


def test_searches_keep_answering_while_the_writer_drains_a_bulk_import(
        db, make_talk, drain, found, bulk_import, child_env, wait_until):
    before = make_talk("Conte numérique au musée")
    db.session.commit()
    drain()
    queued = bulk_import()
    answers = []  # (the answer to a search, the imported talks found, whether entries were still queued)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "search", "worker"], env=child_env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def drained() -> bool:
            db.session.rollback()
            answers.append((found("conte numérique"), len(found("liseuses")), queue_length() > 0))
            return not answers[-1][2]

        assert wait_until(drained, GENEROUS_SECONDS, interval=0.02)
    finally:
        worker.terminate()
        worker.communicate(timeout=60)
    assert queued and all(answer == [before.slug] for answer, _, _ in answers)
    assert any(imported and still_queued for _, imported, still_queued in answers)  # answered mid-drain
    assert check_index().is_consistent


def test_a_rebuild_covers_the_log_it_read_and_leaves_what_was_logged_meanwhile(
        app, db, make_talk, drain, found, monkeypatch):
    edited, untouched = make_talk("Atelier du samedi"), make_talk("Conte numérique")
    db.session.commit()
    queued_before = set(db.session.scalars(select(SearchQueueEntry.id)))
    documents_read, may_swap = threading.Event(), threading.Event()
    read_documents = indexing.iter_public_documents

    def documents_then_pause():
        documents = list(read_documents())
        documents_read.set()
        assert may_swap.wait(60)
        yield from documents

    monkeypatch.setattr(indexing, "iter_public_documents", documents_then_pause)

    def rebuild_in_another_session():
        with app.app_context():
            rebuild_index()

    rebuilding = threading.Thread(target=rebuild_in_another_session)
    rebuilding.start()
    try:
        assert documents_read.wait(60)
        edited.title = "Atelier du dimanche"
        added = make_talk("Jeux coopératifs")
        db.session.commit()  # after the rebuild read the database: queued for the writer
    finally:
        may_swap.set()
        rebuilding.join(60)
    db.session.rollback()
    cursor = indexing.index_cursor(get_search_index())  # the rebuild's: the log stays whole
    left = {entry.id: entry.doc_id for entry in db.session.scalars(
        select(SearchQueueEntry).where(SearchQueueEntry.id > cursor))}
    assert queued_before <= set(db.session.scalars(select(SearchQueueEntry.id)))
    assert not left.keys() & queued_before
    assert set(left.values()) == {f"talk:{edited.id}", f"talk:{added.id}"}
    assert found("samedi") == [edited.slug] and found("conte") == [untouched.slug]
    drain()
    assert found("dimanche") == [edited.slug] and found("coopératifs") == [added.slug] and found("samedi") == []
    assert check_index().is_consistent


def test_a_batch_whose_database_commit_fails_after_the_index_commit_is_not_applied_again(
        db, make_talk, drain, found, monkeypatch):
    talk = make_talk("Tiers-lieux culturels")
    db.session.commit()
    commit = db.session.commit

    def fail_once():
        monkeypatch.setattr(db.session, "commit", commit)
        raise RuntimeError("the process died before the database commit")

    monkeypatch.setattr(db.session, "commit", fail_once)
    with pytest.raises(RuntimeError):
        drain()
    assert found("tiers-lieux") == [talk.slug]  # the index commit came first, with its cursor
    assert queue_length() == 0  # so its entries are not applied again
    assert db.session.get(SearchIndexCursor, indexing.search_state().identity.name) is None  # the lost copy
    talk.title = "Tiers-lieux ruraux"
    db.session.commit()
    assert drain() == 1
    assert queue_length() == 0 and found("ruraux") == [talk.slug] and check_index().is_consistent


def test_the_writer_merges_the_segments_that_bulk_drains_left(app, db, make_talk, drain, found, monkeypatch):
    monkeypatch.setattr(index_writer, "BULK_APPLY_FROM", 1)  # every drain writes a segment of its own...
    monkeypatch.setattr(index_writer, "SMALL_SEGMENT_DOCS", 1)  # ...that no later commit merges
    talks = []
    for n in range(index_writer.MAX_LARGE_SEGMENTS + 1):
        talks.append(make_talk(f"Exposé numéro {n}"))
        db.session.commit()
        drain()
    index = get_search_index()
    assert index.stats()["segments"] == index_writer.MAX_LARGE_SEGMENTS + 1 and index.is_fragmented()
    writer = IndexWriter(app, compact_idle_seconds=0.5)
    assert writer.work_once() == 0  # not before the queue has been empty for a while
    time.sleep(0.5)
    assert writer.work_once() == 1  # then the segments are merged
    assert not index.is_fragmented() and index.stats()["segments"] <= index_writer.MAX_LARGE_SEGMENTS
    assert sorted(found("exposé")) == sorted(talk.slug for talk in talks)
    assert writer.work_once() == 0 and check_index().is_consistent
