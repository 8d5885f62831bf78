"""The search log: every index (one per host, its own SEARCH_INDEX_DIR) follows it from its own
cursor, committed with the index; the log is pruned once every index has passed it."""
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from search_index import SearchIndex, SearchRequest
from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import SearchIndexCursor, SearchQueueEntry, Status, Talk
from webapp.models._base import utcnow
from webapp.search import indexing
from webapp.search.indexing import check_index, drain_queue, get_search_index, rebuild_index
from webapp.search.log_pruning import prune_log, pruned_through

RETENTION_DAYS = 7


@pytest.fixture
def host_b(app, tmp_path):
    """A second host: another app on the same database, with its own index directory and name.

    Inside `with host_b():` read no attribute of an object of host A's session: an expired one
    would be refreshed through host B's engine (the bind follows the current app), leaving host A's
    session holding host B's connection."""
    other = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret-key", "PAGE_CACHE": "off",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": str(tmp_path / "host-b-index"), "SEARCH_INDEX_NAME": "host-b",
        "UPLOAD_DIR": str(tmp_path / "uploads"), "PAGE_CACHE_DIR": str(tmp_path / "page-cache"),
        "SHARE_CARD_DIR": str(tmp_path / "share-cards"),
    })

    @contextmanager
    def on_b():
        with other.app_context():
            try:
                yield
            finally:
                _db.session.remove()

    yield on_b
    with other.app_context():
        _db.engine.dispose()


def slugs(q: str) -> list[str]:
    request = SearchRequest(q=q, per_page=100)
    return [hit.slug for hit in indexing.read_index(lambda index: index.search(request)).hits]


def newest_id(db) -> int:
    return db.session.scalar(select(func.max(SearchQueueEntry.id)))


def log_size(db) -> int:
    return db.session.scalar(select(func.count(SearchQueueEntry.id)))


def cursor_row(db, name: str) -> SearchIndexCursor | None:
    db.session.expire_all()
    return db.session.get(SearchIndexCursor, name)


def test_two_hosts_on_one_database_both_get_every_change(db, make_talk, host_b, drain, found):
    talk = make_talk("Médiation numérique")
    db.session.commit()
    slug = talk.slug
    assert drain() > 0
    with host_b():
        assert drain_queue() > 0
        assert slugs("médiation") == [slug]
    talk.title = "Fablab municipal"
    db.session.commit()
    drain()
    assert found("fablab") == [talk.slug] and found("médiation") == []
    with host_b():
        assert slugs("fablab") == []  # host A applying the entry did not take it from host B
        assert drain_queue() == 1
        assert slugs("fablab") == [slug] and slugs("médiation") == []
        assert check_index().is_consistent
    assert log_size(db) > 0  # applied entries stay in the log
    assert check_index().is_consistent


def test_the_cursor_is_committed_with_the_index(app, db, make_talk, drain):
    make_talk()
    db.session.commit()
    drain()
    newest = newest_id(db)
    assert get_search_index().log_cursor() == newest
    assert SearchIndex(app.config["SEARCH_INDEX_DIR"]).log_cursor() == newest  # reopened
    assert cursor_row(db, app.config["SEARCH_INDEX_NAME"]).log_cursor == newest
    get_search_index().compact()  # any later commit keeps it
    assert SearchIndex(app.config["SEARCH_INDEX_DIR"]).log_cursor() == newest


def test_a_crash_between_the_index_commit_and_the_cursor_copy_loses_and_repeats_nothing(
        app, db, make_talk, drain, found, monkeypatch):
    first = make_talk("Tiers-lieux culturels")
    db.session.commit()

    def die(*args):
        raise RuntimeError("the process died after the index commit")

    monkeypatch.setattr(indexing, "record_cursor", die)
    with pytest.raises(RuntimeError):
        drain()
    monkeypatch.undo()
    assert cursor_row(db, app.config["SEARCH_INDEX_NAME"]) is None  # the database copy was lost
    index = indexing.search_state().reopen_index()
    assert index.log_cursor() == newest_id(db) and found("tiers-lieux") == [first.slug]
    applied = []
    monkeypatch.setattr(index, "apply", lambda **changes: applied.append(changes))
    assert drain() == 0 and applied == []  # nothing applied twice
    assert cursor_row(db, app.config["SEARCH_INDEX_NAME"]).log_cursor == newest_id(db)  # copy repaired
    monkeypatch.undo()
    second = make_talk("Tiers-lieux ruraux")
    db.session.commit()
    assert drain() == 1
    assert sorted(found("tiers-lieux")) == sorted([first.slug, second.slug]) and check_index().is_consistent


def test_the_log_is_pruned_only_once_every_index_passed_it(app, db, make_talk, host_b, drain):
    make_talk()
    db.session.commit()
    drain()
    with host_b():
        drain_queue()  # host B registers at its first commit
    b_cursor = newest_id(db)
    for title in ("Atelier un", "Atelier deux", "Atelier trois"):
        make_talk(title)
        db.session.commit()
    drain()
    through_b = log_count_through(db, b_cursor)
    assert prune_log(RETENTION_DAYS) == through_b
    db.session.commit()
    assert db.session.scalar(select(func.min(SearchQueueEntry.id))) > b_cursor  # up to B's cursor only
    kept = log_size(db)
    assert prune_log(RETENTION_DAYS) == 0 and log_size(db) == kept
    with host_b():
        drain_queue()
        assert len(slugs("atelier")) == 3
    prune_log(RETENTION_DAYS)
    db.session.commit()
    assert log_size(db) == 1  # the newest entry stays: ids are never reused
    assert pruned_through() == newest_id(db) - 1


def log_count_through(db, through: int) -> int:
    return db.session.scalar(select(func.count(SearchQueueEntry.id)).where(SearchQueueEntry.id <= through))


def test_past_the_retention_period_the_log_is_pruned_and_an_index_left_behind_rebuilds(
        app, db, make_talk, host_b, drain, found):
    make_talk("Conte numérique")
    db.session.commit()
    with host_b():
        drain_queue()
    later = [make_talk(f"Atelier {n}") for n in range(3)]
    db.session.commit()
    drain()  # host A passes them; host B does not follow for a while
    assert prune_log(RETENTION_DAYS) < len(later)  # kept for host B
    assert prune_log(RETENTION_DAYS, now=utcnow() + timedelta(days=RETENTION_DAYS + 1)) > 0
    db.session.commit()
    assert cursor_row(db, "host-b").log_cursor < pruned_through()
    later_slugs = sorted(talk.slug for talk in later)  # read through host A's session, before host B's context
    with host_b():
        drain_queue()  # what it needs is gone: it rebuilds from the database
        assert sorted(slugs("atelier")) == later_slugs
        assert get_search_index().log_cursor() >= pruned_through()
        assert check_index().is_consistent
    assert cursor_row(db, "host-b").log_cursor == newest_id(db)


def test_a_rebuild_records_the_log_it_covers_and_a_new_host_then_follows(app, db, make_talk, host_b, drain):
    make_talk("Conte numérique")
    db.session.commit()
    drain()
    with host_b():
        assert rebuild_index() == 1
        assert get_search_index().log_cursor() == newest_id(_db)
        assert drain_queue() == 0  # the rebuild covered the log
    assert cursor_row(db, "host-b").log_cursor == newest_id(db)
    assert log_size(db) > 0  # a rebuild deletes no entry
    added = make_talk("Jeux coopératifs")
    db.session.commit()
    added_slug = added.slug  # read through host A's session, before host B's context
    with host_b():
        assert drain_queue() == 1 and slugs("coopératifs") == [added_slug]


def test_status_lists_every_index_with_its_cursor_and_lag(app, db, make_talk, host_b, drain, runner):
    make_talk()
    db.session.commit()
    drain()
    with host_b():
        drain_queue()
    make_talk()
    db.session.commit()
    drain()
    result = runner.invoke(args=["search", "status"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.startswith("  ")}
    assert set(lines) == {app.config["SEARCH_INDEX_NAME"], "host-b"}
    assert "behind 0 entries" in lines[app.config["SEARCH_INDEX_NAME"]]
    assert "behind 1 entries" in lines["host-b"] and not lines["host-b"].endswith("oldest unapplied -")
    assert "Log cursor: " in result.output and "Queue length: 0" in result.output
    result = runner.invoke(args=["search", "prune"])
    assert result.exit_code == 0 and "Pruned " in result.output


# --- PostgreSQL: ids taken at insert, visible at commit ----------------------------------------

@pytest.fixture
def postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("ids are taken in commit order on SQLite (it serialises writers)")


def in_thread(app, work) -> threading.Thread:
    def run():
        with app.app_context():
            try:
                work()
            finally:
                _db.session.remove()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_on_postgresql_an_entry_inserted_first_and_committed_last_is_not_skipped(
        app, db, postgresql, make_event, drain, found):
    event_row = make_event()
    db.session.commit()
    drain()
    flushed, may_commit = threading.Event(), threading.Event()

    def slow_transaction():
        _db.session.add(Talk(slug="lent", title="Exposé lent", event_id=event_row.id, status=Status.PUBLISHED))
        _db.session.flush()  # its log entry takes its id now
        flushed.set()
        assert may_commit.wait(30)
        _db.session.commit()

    slow = in_thread(app, slow_transaction)
    assert flushed.wait(30)
    db.session.add(Talk(slug="rapide", title="Exposé rapide", event_id=event_row.id, status=Status.PUBLISHED))
    db.session.commit()  # a later insert, committed first
    assert drain() >= 1 and found("exposé") == ["rapide"]
    may_commit.set()
    slow.join(30)
    db.session.rollback()
    assert drain() >= 1
    assert sorted(found("exposé")) == ["lent", "rapide"] and check_index().is_consistent


def test_on_postgresql_commits_take_their_log_ids_in_commit_order(app, db, postgresql, make_event, drain, found):
    """A transaction holding the log lock at its commit makes the next one wait: a reader sees
    neither until the first is visible, and the second's ids are larger."""
    event_row = make_event()
    db.session.commit()
    drain()
    holding, may_finish = threading.Event(), threading.Event()
    first_thread = []

    def pause_while_holding_the_lock(session):
        if threading.current_thread() in first_thread:
            holding.set()
            assert may_finish.wait(30)

    def commit_talk(slug):
        def work():
            _db.session.add(Talk(slug=slug, title=f"Exposé {slug}", event_id=event_row.id,
                                 status=Status.PUBLISHED))
            _db.session.commit()
        return work

    event.listen(_db.session, "before_commit", pause_while_holding_the_lock)  # after the outbox's
    try:
        first = threading.Thread(target=lambda: _run_in_app(app, commit_talk("premier")), daemon=True)
        first_thread.append(first)
        first.start()
        assert holding.wait(30)
        second = in_thread(app, commit_talk("second"))
        second.join(1.0)
        assert second.is_alive()  # waits for the log lock
        assert drain() == 0 and found("exposé") == []
        may_finish.set()
        first.join(30)
        second.join(30)
    finally:
        may_finish.set()
        event.remove(_db.session, "before_commit", pause_while_holding_the_lock)
    db.session.rollback()
    ids = dict(db.session.execute(select(SearchQueueEntry.doc_id, SearchQueueEntry.id)
                                  .where(SearchQueueEntry.doc_id.like("talk:%"))).all())
    talks = dict(db.session.execute(select(Talk.slug, Talk.id)).all())
    assert ids[f"talk:{talks['premier']}"] < ids[f"talk:{talks['second']}"]
    assert drain() >= 2 and sorted(found("exposé")) == ["premier", "second"]


def _run_in_app(app, work) -> None:
    with app.app_context():
        try:
            work()
        finally:
            _db.session.remove()
