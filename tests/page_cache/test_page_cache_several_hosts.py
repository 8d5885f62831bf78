"""Several hosts, each with its own filesystem page cache, on one database: a change committed
through host A makes host B's cached pages stale within PAGE_CACHE_GENERATION_CHECK_SECONDS (1 s),
through the generation every bump also writes in the database (webapp/page_cache/shared_generation.py)."""
import time

import pytest
from sqlalchemy import select

from webapp.models import CONTENT_GENERATION_ID, ContentGeneration, Talk

NEW_TITLE = "Le fablab, deux ans après"


@pytest.fixture(autouse=True)
def isolated_clients(client):
    """Every test client of host A gets an app context per request too, as in production."""


def _cached_on(host, path: str) -> str:
    """Render the page on that host, and check it is now kept there; returns its text."""
    client = host.test_client()
    first = client.get(path)
    assert first.status_code == 200 and first.headers.get("ETag")
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    return first.get_data(as_text=True)


def _rename_the_talk_through(host, db) -> None:
    with host.app_context():
        db.session.scalar(select(Talk).where(Talk.slug == "fablab")).title = NEW_TITLE
        db.session.commit()


def _seconds_until_it_shows(host, path: str, text: str, timeout: float = 5.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if text in host.test_client().get(path).get_data(as_text=True):
            return time.monotonic() - started
        time.sleep(0.05)
    return float("inf")


def test_a_change_through_host_a_makes_host_b_s_cached_page_stale_within_2_s(app, db, talk, second_host):
    assert app.config["PAGE_CACHE_DIR"] != second_host.config["PAGE_CACHE_DIR"]
    assert "Le fablab de la médiathèque" in _cached_on(second_host, "/talks/fablab")
    assert "Le fablab de la médiathèque" in _cached_on(app, "/talks/fablab")
    _rename_the_talk_through(app, db)
    assert _seconds_until_it_shows(second_host, "/talks/fablab", NEW_TITLE) < 2.0
    assert NEW_TITLE in app.test_client().get("/talks/fablab").get_data(as_text=True)  # at once


def test_the_database_generation_is_what_tells_host_b(app, db, talk, second_host):
    """Host B's own generation never changes: only the row in the database does."""
    _cached_on(second_host, "/talks/fablab")
    with second_host.app_context():
        store_b = second_host.extensions["causeries_page_cache"]
        own_generation = store_b.generations.get(store_b.generation_key)
    before = db.session.scalar(select(ContentGeneration.token))
    _rename_the_talk_through(app, db)
    db.session.expire_all()
    after = db.session.get(ContentGeneration, CONTENT_GENERATION_ID).token
    assert after != before
    assert _seconds_until_it_shows(second_host, "/talks/fablab", NEW_TITLE) < 2.0
    assert store_b.generations.get(store_b.generation_key) == own_generation


def test_a_rolled_back_change_writes_no_generation(app, db, talk):
    token = db.session.scalar(select(ContentGeneration.token))
    db.session.scalar(select(Talk).where(Talk.slug == "fablab")).title = "Jamais enregistré"
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(ContentGeneration.token)) == token


@pytest.mark.parametrize("app_config", [{"PAGE_CACHE": "filesystem",
                                         "PAGE_CACHE_GENERATION_CHECK_SECONDS": 0}])
def test_without_the_check_a_host_sees_only_its_own_changes(app, db, talk, second_host):
    """PAGE_CACHE_GENERATION_CHECK_SECONDS=0 (one host): the database's generation is still written
    but not read, so host B keeps its page until its own generation changes."""
    _cached_on(second_host, "/talks/fablab")
    _rename_the_talk_through(app, db)
    assert _seconds_until_it_shows(second_host, "/talks/fablab", NEW_TITLE, timeout=1.5) == float("inf")
    assert db.session.scalar(select(ContentGeneration.token)) is not None
