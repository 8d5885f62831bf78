"""With the page cache on: the talk page is kept and served to the next anonymous visitor, the
embedded viewer never is (it is rendered each time, so no kept page can carry a cookie to it)."""
import pytest
from flask import template_rendered


@pytest.fixture
def app_config():
    return {"PAGE_CACHE": "filesystem", "PAGE_CACHE_SECONDS": 300}


def rendered_templates(app, client, path: str) -> tuple[list[str], object]:
    names = []

    def rendered(sender, template, context, **extra):
        names.append(template.name)

    with template_rendered.connected_to(rendered, app):
        response = client.get(path)
    return names, response


def test_the_talk_page_is_kept_but_the_embedded_viewer_never(app, client, talk):
    rendered_templates(app, client, "/talks/grainotheques")
    assert rendered_templates(app, client, "/talks/grainotheques")[0] == []  # served from the cache
    for _ in range(2):
        names, response = rendered_templates(app, client, "/embed/talks/grainotheques")
        assert names[0] == "embeds/viewer.html" and response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert response.headers["Content-Security-Policy"].endswith("frame-ancestors *")
