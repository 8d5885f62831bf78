"""In Chromium: another site (a tiny http.server at http://localhost:<port>, another origin and
another site than the archive at 127.0.0.1) pastes the embed code the oEmbed answer gives; the
viewer shows in its frame and pages through the deck with its buttons and the keyboard, without a
console error, a Content-Security-Policy violation or a cookie, and with no accessibility
violation axe-core calls serious. The same site may not frame the
talk page. On the talk page, "Copy the embed code" copies it and says so, and axe-core finds nothing
serious there either."""
import io
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.axe import blocking_violations
from tests.browser.csp import wait_until_true
from webapp.slides.operations import attach_slides, process_pending_decks

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]

SITE_URL = "http://127.0.0.1:8000"  # the test app's SITE_URL: the embed code names it
HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Le blog d'une médiathèque</title></head>
<body><h1>Nos lectures</h1>{frame}</body></html>"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def other_site(tmp_path):
    """other_site(name, html) -> the address, on another origin, of a page holding that html."""
    folder = tmp_path / "other-site"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(name: str, html: str) -> str:
        (folder / name).write_text(html, encoding="utf-8")
        return f"http://localhost:{server.server_port}/{name}"

    yield publish
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def talk(db, make_talk, make_speaker, make_pdf):
    found = make_talk("Grainothèques en bibliothèque", slug="grainotheques",
                      speakers=[make_speaker("Léa Dupont", slug="lea-dupont")])
    pdf = make_pdf("Bienvenue à la grainothèque", "Les graines voyagent", "Merci de votre attention")
    attach_slides(found, io.BytesIO(pdf), "graines.pdf", None, "CC-BY-4.0")
    db.session.commit()
    process_pending_decks()
    db.session.commit()
    return found


def embed_code(page, live_server: str) -> str:
    """The iframe of the oEmbed answer, pointed at the live server instead of SITE_URL."""
    answer = page.request.get(f"{live_server}/oembed?url={SITE_URL}/talks/grainotheques&format=json").json()
    return answer["html"].replace(SITE_URL, live_server)


def test_another_site_embeds_the_viewer_and_pages_through_the_deck(page, live_server, other_site, talk):
    host_page = other_site("lectures.html", HOST_PAGE.format(frame=embed_code(page, live_server)))
    page.problems.allow(host_page)  # the other site's own page, which this test asks for
    page.goto(host_page)
    frame = page.frame_locator("iframe")
    viewer = frame.locator("[data-slide-viewer]")
    viewer.wait_for(state="visible")
    current = frame.locator("[data-slide-current]")
    assert current.inner_text() == "1" and frame.locator("[data-slide-total]").inner_text() == "3"
    frame.locator("[data-slide-next]").click()
    assert current.inner_text() == "2"
    assert frame.locator("[data-slide-announcement]").inner_text() == "Diapositive 2 sur 3"
    frame.locator("[data-slide-stage]").focus()
    page.keyboard.press("ArrowRight")
    assert current.inner_text() == "3" and frame.locator("[data-slide-next]").is_disabled()
    page.keyboard.press("Home")
    assert current.inner_text() == "1"
    embedded = page.frames[1]
    wait_until_true(embedded, "document.querySelector('[data-slide-image]').complete"
                              " && document.querySelector('[data-slide-image]').naturalWidth > 0")
    # The frame's size (oembed.py's CHROME_HEIGHT) leaves room for everything: nothing to scroll.
    assert embedded.evaluate("document.querySelector('main').getBoundingClientRect().height <= window.innerHeight")
    link = frame.locator("h1 a")
    assert link.get_attribute("target") == "_blank" and link.get_attribute("href") == f"{SITE_URL}/talks/grainotheques"
    assert page.context.cookies() == []
    page.goto("/embed/talks/grainotheques")  # the viewer on its own, for axe-core
    assert blocking_violations(page) == []


def test_the_same_site_may_not_frame_the_talk_page(browser, live_server, other_site, talk):
    context = browser.new_context()
    messages: list[str] = []
    try:
        host = context.new_page()
        host.on("console", lambda message: messages.append(message.text))
        host.goto(other_site("cadre.html", HOST_PAGE.format(
            frame=f'<iframe src="{live_server}/talks/grainotheques" title="Page"></iframe>')))
        wait_until_true(host, "true")
        host.wait_for_load_state("load")
        assert any("frame-ancestors 'none'" in message for message in messages), messages
        refused = host.frames[1]
        assert refused.url == "chrome-error://chromewebdata/"  # Chromium's error page, not the talk's
        assert refused.get_by_text("Grainothèques en bibliothèque").count() == 0
    finally:
        context.close()


def test_the_talk_page_copies_the_embed_code_and_says_so(page, live_server, talk):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/talks/grainotheques")
    field = page.locator("[data-embed-code-field]")
    assert field.is_visible() and field.get_attribute("readonly") is not None
    page.locator("[data-embed-code-copy]").click()
    status = page.locator("[data-embed-code-status]")
    status.get_by_text(status.get_attribute("data-copied-message")).wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("() => navigator.clipboard.readText()") == field.input_value()
    assert field.input_value().startswith(f'<iframe src="{SITE_URL}/embed/talks/grainotheques" width="640"')
    assert blocking_violations(page) == []
