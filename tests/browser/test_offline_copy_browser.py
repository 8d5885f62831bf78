"""The offline copy of the demo archive (`flask export static`), opened from file:// in Chromium:
every link of every page leads to a file of the copy, and the search finds talks accents aside."""
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from webapp import create_app
from webapp.extensions import db

pytestmark = pytest.mark.browser
SEED_TALK = "Politique de médiation numérique des savoirs – Médiathèques de Levallois-Perret"
LINKING = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("form", "action")}


@pytest.fixture(scope="module")
def offline_copy(tmp_path_factory, demo_template) -> Path:
    """The demo archive (`flask demo load`) exported once for the module, on a SQLite database: a
    copy of the run's demo_template when it is on SQLite (it is in the SQLite pass), else loaded here."""
    folder = tmp_path_factory.mktemp("offline")
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key", "PAGE_CACHE": "off",
                      "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}", "UPLOAD_DIR": str(folder / "uploads"),
                      "SEARCH_INDEX_DIR": str(folder / "index"), "PAGE_CACHE_DIR": str(folder / "page-cache")})
    with app.app_context():
        db.create_all()
        runner = app.test_cli_runner()
        if demo_template.dialect == "sqlite":
            demo_template.copy_into(app)
        else:
            assert runner.invoke(args=["demo", "load"]).exit_code == 0
        result = runner.invoke(args=["export", "static", str(folder / "copy")])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()
    return folder / "copy"


@pytest.fixture
def file_page(browser):
    """A page of a new context that records console errors, page errors and failed requests."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED"  # navigated away
            and page.problems.append(f"{request.url} {request.failure}"))
    yield page
    context.close()
    assert page.problems == []


def local_file(url: str) -> Path | None:
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


class LinkedUrls(HTMLParser):
    """The URLs a page's a/link[href], img/script[src] and form[action] point to, resolved against
    the page's own file:// URL as the browser resolves them (the copy has no <base>)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.urls = page_url, []

    def handle_starttag(self, tag, attrs):
        if tag == "base":
            raise AssertionError(f"{self.page_url}: a <base> would change how its links resolve")
        for name, value in attrs:
            if (tag, name) in LINKING and value is not None:
                self.urls.append(urljoin(self.page_url, value.strip()))


def linked_urls(page_file: Path) -> list[str]:
    parser = LinkedUrls(page_file.as_uri())
    parser.feed(page_file.read_text(encoding="utf-8"))
    parser.close()
    return parser.urls


def test_every_link_of_every_page_of_the_copy_opens_from_file_urls(offline_copy, file_page):
    # The links, from every page's HTML (exhaustive, and fast): from the home page, every page is
    # reached, and every link, image, script, style sheet and form leads to a file of the copy.
    queue, visited, broken = [offline_copy / "index.html"], set(), []
    while queue:
        page_file = queue.pop()
        if page_file in visited:
            continue
        visited.add(page_file)
        for url in linked_urls(page_file):
            target = local_file(url)
            if target is None:
                assert url.startswith(("http://", "https://", "mailto:")), url  # left to the live site
            elif not target.is_file():
                broken.append((str(page_file.relative_to(offline_copy)), url))
            elif target.suffix == ".html":
                queue.append(target)
    assert broken == []
    pages = set(offline_copy.rglob("*.html"))
    assert len(visited) > 500 and visited == pages  # and no page of the copy is unreachable
    # Then every page opened from its file:// URL in Chromium, one page reused: file_page fails the
    # test on any console error, uncaught exception or failed request. Scripts have run by
    # DOMContentLoaded (they are deferred); what a page loads, the parse above checked on disk.
    for page_file in sorted(pages):
        file_page.goto(page_file.as_uri(), wait_until="domcontentloaded")
        assert file_page.problems == [], page_file.relative_to(offline_copy)


def test_the_copy_searches_its_talks_with_accents_folded(offline_copy, file_page):
    file_page.goto((offline_copy / "index.html").as_uri())
    file_page.fill("#site-search", "mediation numerique")
    file_page.press("#site-search", "Enter")
    file_page.wait_for_url("**/search/index.html?q=mediation+numerique")
    result = file_page.get_by_role("link", name=SEED_TALK)
    result.click()
    assert file_page.title().startswith(SEED_TALK)
    assert local_file(file_page.url).is_file()
