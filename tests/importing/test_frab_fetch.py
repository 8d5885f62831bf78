"""Fetching schedules and slide decks from an address: only http(s), never a private, loopback or
link-local address (checked for every address and every redirect), bounded in size, time and
redirects. A local server stands for the public one: the tests allow the loopback network through
SCHEDULE_FETCH_ALLOWED_NETWORKS, as a deployment would allow its own intranet."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.importing.frab_fetch import FetchLimits, FetchRefused, fetch
from webapp.importing.frab_import import import_schedule
from webapp.models import SlideDeck, Talk

pytestmark = pytest.mark.usefixtures("english_messages")

DATA = Path(__file__).parent / "data" / "frab"
NOTHING_PRIVATE = FetchLimits(max_bytes=10_000, timeout=2, allowed_networks=())


class Routes(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        if status == "slow":
            time.sleep(1.5)
            status = 200
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def app_config():
    return {"SCHEDULE_FETCH_ALLOWED_NETWORKS": ["127.0.0.0/8"], "SCHEDULE_FETCH_TIMEOUT": 1}


@pytest.fixture
def server():
    """A loopback server; set server.routes[path] = (status, headers, body)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (Routes,), {"routes": {}}))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_port}"
    httpd.routes = httpd.RequestHandlerClass.routes
    yield httpd
    httpd.shutdown()
    thread.join(timeout=5)
    httpd.server_close()


@pytest.mark.parametrize(("url", "message"), [
    ("file:///etc/passwd", "Only http and https"),
    ("ftp://example.org/schedule.xml", "Only http and https"),
    ("gopher://example.org/", "Only http and https"),
    ("http://127.0.0.1/schedule.xml", "private or local network"),
    ("http://[::1]/schedule.xml", "private or local network"),
    ("http://[::ffff:127.0.0.1]/schedule.xml", "private or local network"),
    ("http://localhost/schedule.xml", "private or local network"),
    ("http://10.0.0.1/schedule.xml", "private or local network"),
    ("http://192.168.1.10/schedule.xml", "private or local network"),
    ("http://169.254.169.254/latest/meta-data/", "private or local network"),
    ("http://0.0.0.0/", "private or local network"),
    ("http://user:secret@example.org/", "password"),
    ("http:///schedule.xml", "no host name"),
])
def test_refused_addresses(app, url, message):
    with pytest.raises(FetchRefused, match=message):
        fetch(url, NOTHING_PRIVATE)


def test_by_default_no_private_network_is_allowed(app):
    assert app.config["SCHEDULE_FETCH_ALLOWED_NETWORKS"] == ["127.0.0.0/8"]  # this module's setting
    from webapp.config import SETTINGS

    assert SETTINGS["SCHEDULE_FETCH_ALLOWED_NETWORKS"][0] == []


def test_the_loopback_server_is_refused_without_the_setting(app, server):
    server.routes["/schedule.xml"] = (200, {}, b"<schedule/>")
    with pytest.raises(FetchRefused, match="private or local network"):
        fetch(server.base + "/schedule.xml", NOTHING_PRIVATE)


def test_an_allowed_address_is_fetched(app, server):
    server.routes["/schedule.xml"] = (200, {"Content-Type": "application/xml"}, b"<schedule/>")
    fetched = fetch(server.base + "/schedule.xml")
    assert (fetched.body, fetched.content_type) == (b"<schedule/>", "application/xml")


def test_a_redirect_to_a_private_address_is_refused(app, server):
    server.routes["/moved"] = (302, {"Location": "http://192.168.0.1/schedule.xml"}, b"")
    with pytest.raises(FetchRefused, match="192.168.0.1"):
        fetch(server.base + "/moved")


def test_a_redirect_to_another_scheme_is_refused(app, server):
    server.routes["/moved"] = (301, {"Location": "file:///etc/passwd"}, b"")
    with pytest.raises(FetchRefused, match="Only http and https"):
        fetch(server.base + "/moved")


def test_redirects_are_followed_a_few_times_only(app, server):
    server.routes["/a"] = (302, {"Location": "/b"}, b"")
    server.routes["/b"] = (307, {"Location": "/c"}, b"")
    server.routes["/c"] = (200, {}, b"<schedule/>")
    server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    assert fetch(server.base + "/a").body == b"<schedule/>"
    with pytest.raises(FetchRefused, match="Too many redirects"):
        fetch(server.base + "/loop")


def test_size_and_time_limits(app, server):
    server.routes["/big"] = (200, {}, b"x" * 20_000)
    server.routes["/slow"] = ("slow", {}, b"<schedule/>")
    server.routes["/gone"] = (404, {}, b"")
    limits = FetchLimits(10_000, 1, FetchLimits.from_config().allowed_networks)
    with pytest.raises(FetchRefused, match="larger than 10000 bytes"):
        fetch(server.base + "/big", limits)
    with pytest.raises(FetchRefused, match="could not be fetched"):
        fetch(server.base + "/slow", limits)
    with pytest.raises(FetchRefused, match="answered 404"):
        fetch(server.base + "/gone", limits)


def schedule_with_attachments(base: str) -> bytes:
    xml = (DATA / "full.xml").read_text(encoding="utf-8")
    xml = xml.replace("https://example.org/files/diaporama.pdf", f"{base}/files/diaporama.pdf")
    xml = xml.replace('<attachment href="https://example.org/files/notes.txt" type="related">Notes</attachment>',
                      f'<attachment href="{base}/files/faux.pdf">Faux</attachment>')
    return xml.encode()


def test_slide_attachments_are_fetched_once_and_validated(db, server, make_pdf):
    server.routes["/files/diaporama.pdf"] = (200, {"Content-Type": "application/pdf"}, make_pdf("Bonjour", "Merci"))
    server.routes["/files/faux.pdf"] = (200, {"Content-Type": "application/pdf"}, b"MZ\x90\x00 not a deck")
    report = import_schedule(schedule_with_attachments(server.base))
    db.session.commit()
    assert report.slides_attached == 1
    [problem] = report.slide_problems
    assert "faux.pdf" in problem
    talk = db.session.scalar(select(Talk))
    [deck] = db.session.scalars(select(SlideDeck).where(SlideDeck.talk_id == talk.id))
    assert (deck.source_url, deck.original_name, deck.kind.value) == (
        f"{server.base}/files/diaporama.pdf", "diaporama.pdf", "pdf")
    server.routes["/files/diaporama.pdf"] = (500, {}, b"")  # a new import does not fetch it again
    again = import_schedule(schedule_with_attachments(server.base))
    db.session.commit()
    assert (again.slides_attached, again.talks_updated, again.talks_created) == (0, 0, 0)
    assert len(db.session.scalars(select(SlideDeck)).all()) == 1
