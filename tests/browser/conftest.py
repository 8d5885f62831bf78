"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, against a live server."""
import threading
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.browser.csp import watch_csp_violations

CHROMIUM = "/usr/bin/chromium"
ACCOUNT_PASSWORD = "correct horse battery"  # of the accounts the fixtures below make
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def closing_every_response(app):
    """The app, its responses closed even when the browser drops the connection. Werkzeug's
    development server closes a response after discarding what the client still sends; a client
    gone by then (a page closed while an image or a file streams) raises there, the close is
    skipped and the open file is left to the garbage collector (a ResourceWarning, an error here).
    A generator's finally runs when it is dropped, whatever the server did."""
    def serve(environ, start_response):
        body = app(environ, start_response)

        def chunks():
            try:
                yield from body
            finally:
                if hasattr(body, "close"):
                    body.close()

        return chunks()

    return serve


@pytest.fixture
def live_server(app):
    """Serve the test app (same database as the test) on a free loopback port."""
    server = make_server("127.0.0.1", 0, closing_every_response(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """Console errors, uncaught exceptions, dialogs, failed requests and requests to another origin
    than the site's (no page asks a third party anything before the visitor clicks) seen by a page.
    A test that provokes one on purpose (a 404 page, a refused upload, a video player it loads)
    says so with allow(fragment)."""

    def __init__(self, page, origin: str):
        self.messages: list[str] = []
        self.allowed: list[str] = []
        self.origin = origin
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))
        page.on("dialog", self._on_dialog)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("request", self._on_request)

    def allow(self, *fragments: str) -> None:
        """Messages containing one of these fragments are expected by the test."""
        self.allowed.extend(fragments)

    def unexpected(self) -> list[str]:
        return [message for message in self.messages
                if not any(fragment in message for fragment in self.allowed)]

    def _on_console(self, message):
        if message.type == "error":
            self.messages.append(f"console error: {message.text}")

    def _on_request_failed(self, request):
        # A request cut short because the page navigated away is not a failure of the site.
        if request.failure != "net::ERR_ABORTED":
            self.messages.append(f"request failed: {request.url} ({request.failure})")

    def _on_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.messages.append(f"third-party request: {request.url}")

    def _on_dialog(self, dialog):
        self.messages.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _on_response(self, response):
        if response.status >= 400:
            self.messages.append(f"HTTP {response.status}: {response.url}")


def watched_page(context, origin: str):
    """A new page of context whose problems are collected in page.problems."""
    page = context.new_page()
    page.problems = PageProblems(page, origin)
    return page


def other_page(page, **context_options):
    """A page of another browser context (another visitor, a phone) whose CSP violations and problems
    are checked with `page`'s at the end of the test. Close it with .context.close()."""
    origin = page.problems.origin
    context = page.context.browser.new_context(base_url=origin, **{"locale": "fr-FR", **context_options})
    watch_csp_violations(context, page.csp_violations)
    other = watched_page(context, origin)
    other.problems.messages = page.problems.messages
    other.problems.allowed = page.problems.allowed
    return other


@pytest.fixture
def page(browser, live_server):
    """A page of a new context. No test using it may leave a Content-Security-Policy violation, a
    console error, an uncaught exception, a dialog or a failed request, on any page it visits, but
    those it allowed (page.problems.allow)."""
    context = browser.new_context(locale="fr-FR", base_url=live_server)
    violations = watch_csp_violations(context)
    page = watched_page(context, live_server)
    page.csp_violations = violations
    yield page
    context.close()
    console_reports = [m for m in page.problems.messages if "Content Security Policy" in m]
    assert violations == [] and console_reports == [], violations + console_reports
    assert page.problems.unexpected() == [], page.problems.unexpected()


@pytest.fixture
def lea_and_organiser(db, make_user, make_speaker, make_talk):
    """The public speaker "lea-dupont" (one talk), kept by the account lea@example.org, and the
    organiser orga@example.org; both log in with ACCOUNT_PASSWORD. Returns the speaker."""
    speaker = make_speaker("Léa Dupont", slug="lea-dupont")
    make_talk("Fablab en médiathèque", speakers=[speaker])
    speaker.owners.append(make_user("speaker", email="lea@example.org", password=ACCOUNT_PASSWORD))
    make_user("organiser", email="orga@example.org", password=ACCOUNT_PASSWORD)
    db.session.commit()
    return speaker
