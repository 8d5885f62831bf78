"""Citation downloads behind the page cache: each language keeps its own copy, a copy served from
the cache keeps its type and file name, and search downloads are never kept (they follow the index)."""
import pytest
from sqlalchemy import event

from tests.catalogue import citation_fixtures

hard_talk = citation_fixtures.hard_talk  # the fixture

pytestmark = pytest.mark.usefixtures("compiled_translations")


@pytest.fixture
def app_config():
    return {"PAGE_CACHE": "filesystem", "PAGE_CACHE_SECONDS": 300}


@pytest.fixture
def served(db):
    """served(client, path, **kwargs) -> (response, whether it was read from the cache: no SQL ran)."""
    def get(client, path, **kwargs):
        statements = []

        def executed(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", executed)
        try:
            response = client.get(path, **kwargs)
        finally:
            event.remove(db.engine, "before_cursor_execute", executed)
        return response, not statements

    return get


def test_a_cached_download_keeps_its_headers_and_its_language(app, served, hard_talk):
    french, english = app.test_client(), app.test_client()
    english.set_cookie("lang", "en")
    path = "/talks/mediation/citation.csl.json"
    first, was_cached = served(french, path)
    assert not was_cached and '"genre": "Communication"' in first.get_data(as_text=True)
    again, was_cached = served(app.test_client(), path)
    assert was_cached and again.get_data() == first.get_data()
    assert again.headers["Content-Type"] == "application/vnd.citationstyles.csl+json"
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.headers["Content-Disposition"].startswith('attachment; filename="mediation.csl.json"')
    in_english, was_cached = served(english, path)
    assert not was_cached and '"genre": "Conference presentation"' in in_english.get_data(as_text=True)


def test_search_downloads_are_never_kept(app, served, hard_talk):
    for _ in range(2):
        response, was_cached = served(app.test_client(), "/search/citations.ris?q=fablab")
        assert response.status_code == 200 and not was_cached
