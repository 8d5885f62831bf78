"""PAGE_CACHE=off (the bench's "cache off"): every page is rendered, nothing is stored, and the
page cache adds no validators."""
from pathlib import Path

import pytest


@pytest.fixture
def app_config():
    return {"PAGE_CACHE": "off"}


def test_with_the_cache_off_every_request_renders_and_nothing_is_stored(app, client, fetch, talk, runner):
    for _ in range(2):
        served = fetch(client, "/talks/fablab")
        assert served.response.status_code == 200 and not served.is_hit
        assert "ETag" not in served.response.headers and "Last-Modified" not in served.response.headers
    assert not any(Path(app.config["PAGE_CACHE_DIR"]).rglob("*"))
    assert "off" in runner.invoke(args=["page-cache", "clear"]).output


def test_a_bad_setting_is_refused_when_the_app_starts(app):
    from webapp import create_app

    config = {"SECRET_KEY": "x", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
              "PAGE_CACHE": "varnish://localhost"}
    with pytest.raises(RuntimeError, match="PAGE_CACHE must be"):
        create_app(config)
