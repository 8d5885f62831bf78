"""PPTX and ODP decks converted by a real LibreOffice in the converter's sandbox: pages, texts and
images come out; soffice.bin runs under the CPU and memory limits, in its own network namespace
where the kernel allows one, under bwrap (which CI installs) in a file system showing none of the
uploads, the checkout or the home directory, and loads no linked image of a PPTX, nor an ODP's
from outside its work directory; a timeout leaves no soffice.bin behind.

These tests need LibreOffice (`make office-deps`, which `make test` and CI run): without soffice
they fail, they are never skipped. A real conversion takes about 2 s, so they are few."""
import http.server
import io
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import SlideFiles
from tests.slides.conftest import reloaded
from webapp.core.storage import FileStore
from webapp.models import DeckStatus
from webapp.slides import processing
from webapp.slides.operations import process_pending_decks
from webapp.slides.processing import Limits, ProcessingError, convert_to_pdf, filesystem_isolation, network_isolation

TEXTS = ("Première diapositive", "Médiation numérique")
MiB = 1024 * 1024
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


@pytest.fixture(autouse=True)
def soffice():
    converter = processing.office_converter()
    assert converter, "LibreOffice is not installed (no soffice on PATH): run `make office-deps`"
    return converter


def limits(timeout_seconds: int) -> Limits:
    return Limits(timeout_seconds, 1024 * MiB, 500, 2048 * MiB)


# --- real decks, and what soffice.bin runs under ----------------------------------------------

def _soffice_pids(marker: str) -> list[int]:
    """The soffice.bin processes whose command line holds marker (a directory holding their
    work directory)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "soffice.bin" \
                    and marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                pids.append(int(entry.name))
        except OSError:  # it ended meanwhile
            pass
    return pids


def _sandbox_of(pid: int, hidden: tuple[Path, ...]) -> dict:
    """The CPU and address-space limits (soft, hard), the network namespace, the process group
    and the session of a process, and which of the paths hidden it can see."""
    text = Path(f"/proc/{pid}/limits").read_text()
    cpu, memory = (re.search(rf"^{name}\s+(\S+)\s+(\S+)", text, re.M).groups()
                   for name in ("Max cpu time", "Max address space"))
    return {"cpu": cpu, "memory": memory, "network": os.readlink(f"/proc/{pid}/ns/net"),
            "group": os.getpgid(pid), "session": os.getsid(pid),
            "visible": [path for path in hidden if os.path.exists(f"/proc/{pid}/root{path}")]}


class SofficeWatcher(threading.Thread):
    """Records, while it runs, each soffice.bin working under a directory and what it runs under
    (with which of the paths hidden it can see)."""

    def __init__(self, directory, hidden: tuple[Path, ...] = ()):
        super().__init__(daemon=True)
        self.directory, self.hidden = str(directory), hidden
        self.seen, self.stopping = {}, threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.02):
            for pid in _soffice_pids(self.directory):
                try:
                    if pid not in self.seen:
                        self.seen[pid] = _sandbox_of(pid, self.hidden)
                except OSError:
                    pass

    def __enter__(self) -> "SofficeWatcher":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.join()


def assert_sandboxed(watcher: SofficeWatcher, cpu_seconds: int, memory_bytes: int) -> None:
    """Every soffice.bin the watcher saw ran under these limits, under bwrap, which hides the
    watcher's hidden paths, and so without the host's network."""
    assert watcher.seen, "no soffice.bin was seen converting the deck"
    assert filesystem_isolation(), "bwrap does not work here: `make office-deps` installs it"
    for sandbox in watcher.seen.values():
        assert sandbox["cpu"] == (str(cpu_seconds),) * 2 and sandbox["memory"] == (str(memory_bytes),) * 2
        assert sandbox["network"] != os.readlink("/proc/self/ns/net"), sandbox
        assert sandbox["visible"] == [], sandbox


@pytest.mark.parametrize("kind", ["pptx", "odp"])
def test_an_office_deck_is_converted_in_the_sandbox_into_pages_with_text_and_images(
        app, db, add_deck, slide_files, kind):
    app.config.update(SLIDES_PROCESS_TIMEOUT=45, SLIDES_CONVERT_MEMORY_MB=1500)  # recognisable
    deck = add_deck(getattr(slide_files, kind)(*TEXTS), f"deck.{kind}")
    uploads = FileStore(app.config["UPLOAD_DIR"]).path_for(deck.storage_key).parent
    hidden = (uploads, Path(__file__), Path.home(), Path(app.instance_path))  # and the checkout
    with SofficeWatcher(app.config["UPLOAD_DIR"], hidden) as watcher:  # its work directory is in there
        assert process_pending_decks() == 1
    assert_sandboxed(watcher, 45, 1500 * MiB)
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY, deck.error
    assert [page.text for page in deck.pages] == list(TEXTS) and deck.page_count == 2
    store = FileStore(app.config["UPLOAD_DIR"])
    for page in deck.pages:
        with Image.open(store.path_for(page.thumb_key)) as thumb, \
                Image.open(store.path_for(page.image_key)) as large:
            assert thumb.format == large.format == "WEBP"
            assert thumb.width == 320 and large.size == (page.width, page.height) == (1600, large.height)
            darkest, lightest = large.convert("L").getextrema()
            assert darkest < 100 < lightest  # the slide's text is drawn on it


def test_a_converter_over_its_memory_limit_fails_the_deck(app, db, add_deck, slide_files):
    deck = add_deck(slide_files.pptx(*TEXTS), "deck.pptx")
    app.config["SLIDES_CONVERT_MEMORY_MB"] = 64  # LibreOffice cannot even start in 64 MB
    process_pending_decks()
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.FAILED and deck.pages == []
    assert deck.error.startswith("LibreOffice stopped") and "memory" in deck.error


def test_a_timeout_kills_the_converter_soffice_bin_included(tmp_path, slide_files, wait_until):
    slides = [f"diapositive {number}" for number in range(2000)]  # about 7 s of conversion
    (tmp_path / "long.odp").write_bytes(slide_files.odp(*slides))
    with SofficeWatcher(tmp_path) as watcher, pytest.raises(ProcessingError) as refused:
        convert_to_pdf(tmp_path / "long.odp", "odp", tmp_path, limits(timeout_seconds=2))
    assert refused.value.kind == "timeout"
    assert watcher.seen, "soffice.bin had not started: the test proves nothing"
    for sandbox in watcher.seen.values():  # in the group the timeout kills, led by the converter
        assert sandbox["group"] == sandbox["session"] != os.getsid(0)
    assert wait_until(lambda: _soffice_pids(str(tmp_path)) == [], 5)
    assert not (tmp_path / "source.pdf").exists()


def test_the_isolation_probes_run_once_per_process(monkeypatch):
    probed = []
    monkeypatch.setattr(processing, "_working_isolation", lambda prefix: probed.append(prefix))
    network_isolation.cache_clear()
    filesystem_isolation.cache_clear()
    try:
        assert network_isolation() == network_isolation() == ()
        assert filesystem_isolation() == filesystem_isolation() == ()
        bwraps = [(*variant, *processing.BWRAP_OPTIONS, *processing.converter_root())
                  for variant in processing.BWRAP_VARIANTS]
        assert probed == [*processing.NETWORK_ISOLATIONS, *bwraps]  # each tried once, then remembered
    finally:
        network_isolation.cache_clear()
        filesystem_isolation.cache_clear()


def test_bwrap_shows_a_libreoffice_installed_outside_usr_and_never_a_whole_top_directory(
        tmp_path, monkeypatch):
    soffice = tmp_path / "libreoffice7.6" / "program" / "soffice"
    for converter, shown in ((soffice, [str(tmp_path / "libreoffice7.6")] * 2),
                             (Path("/usr/bin/soffice"), []), (Path("/opt/soffice"), [])):
        monkeypatch.setattr(processing, "office_converter", lambda converter=converter: str(converter))
        assert processing.converter_installation() == (["--ro-bind", *shown] if shown else [])


def test_the_sandbox_execs_a_program_under_its_limits():
    script = str(processing.SANDBOX_SCRIPT)
    result = subprocess.run([sys.executable, "-I", script, f"7,{300 * MiB}", "exec", "/bin/sh", "-c",
                             "ulimit -t; ulimit -v"], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0 and result.stdout.split() == ["7", str(300 * 1024)]


# --- linked content ----------------------------------------------------------------------------

def _linked(pptx: bytes, urls: list[str]) -> bytes:
    """pptx with its pictures, in order, made links to urls instead of embedded images."""
    source, buffer = zipfile.ZipFile(io.BytesIO(pptx)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as linked:
        for item in source.infolist():
            data = source.read(item).decode() if item.filename.endswith((".xml", ".rels")) else None
            if item.filename == "ppt/slides/slide1.xml":
                data = data.replace("r:embed=", "r:link=")
            elif item.filename == "ppt/slides/_rels/slide1.xml.rels":
                for url in urls:
                    data = re.sub(r'Target="\.\./media/[^"]+"', f'Target="{url}" TargetMode="External"',
                                  data, count=1)
            linked.writestr(item, data if data is not None else source.read(item))
    return buffer.getvalue()


def pptx_with_linked_images(*urls: str) -> bytes:
    """A one-slide PPTX showing, as links (not embedded), the images at urls."""
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    for number in range(len(urls)):
        image = io.BytesIO()
        Image.new("RGB", (8, 8), (255, 40 * number, 0)).save(image, "PNG")  # distinct placeholders
        slide.shapes.add_picture(image, Inches(0.5 + 4.5 * number), Inches(2), Inches(4), Inches(4))
    slide.shapes.add_textbox(Inches(1), Inches(0.5), Inches(8), Inches(1)).text_frame.text = "Images liées"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return _linked(buffer.getvalue(), list(urls))


@pytest.fixture
def image_server():
    """A web server on 127.0.0.1 answering a blue PNG; .requests lists the paths asked for."""
    image = io.BytesIO()
    Image.new("RGB", (64, 64), "blue").save(image, "PNG")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            server.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(image.getvalue())

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _pixels_near(path: Path, colour: tuple[int, int, int]) -> int:
    """How many pixels of the image at path are of about that colour (page images are lossy)."""
    with Image.open(path) as image:
        counts = image.convert("RGB").getcolors(maxcolors=1 << 24)
    return sum(count for count, rgb in counts if max(abs(a - b) for a, b in zip(rgb, colour)) < 60)


def test_the_linked_images_of_a_pptx_are_fetched_neither_from_the_network_nor_from_the_disk(
        app, db, add_deck, tmp_path, image_server, monkeypatch):
    monkeypatch.setattr(processing, "filesystem_isolation", lambda: ())  # the profile's settings alone
    monkeypatch.setattr(processing, "network_isolation", lambda: ())
    Image.new("RGB", (64, 64), "blue").save(tmp_path / "local.png")
    url = f"http://127.0.0.1:{image_server.server_port}/remote.png"
    deck = add_deck(pptx_with_linked_images(url, (tmp_path / "local.png").as_uri()), "linked.pptx")
    process_pending_decks()
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY and deck.pages[0].text == "Images liées"
    assert image_server.requests == []
    assert _pixels_near(FileStore(app.config["UPLOAD_DIR"]).path_for(deck.pages[0].image_key), BLUE) == 0


def odp_with_linked_images(*hrefs: str) -> bytes:
    """A one-slide ODP showing, as links (not embedded), the images at hrefs (paths or URLs)."""
    from odf.draw import Frame
    from odf.draw import Image as LinkedImage

    frames = []
    for number, href in enumerate(hrefs):
        frame = Frame(width="8cm", height="8cm", x=f"{1 + 9 * number}cm", y="2cm")
        frame.addElement(LinkedImage(href=href, type="simple", show="embed", actuate="onLoad"))
        frames.append(frame)
    return SlideFiles.odp_of_slides([frames])


def _png(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (64, 64), colour).save(path)
    return path


def _page_image(app, db, add_deck, data: bytes) -> Path:
    """The image of the first page of a deck of data, processed as uploads are."""
    deck = add_deck(data, "linked.odp")
    process_pending_decks()
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY, deck.error
    return FileStore(app.config["UPLOAD_DIR"]).path_for(deck.pages[0].image_key)


def test_an_odp_shows_no_image_file_from_outside_its_work_directory(
        app, db, add_deck, tmp_path, monkeypatch):
    """LibreOffice 7.4 loads an ODP's linked images from any local path, whatever its profile
    says: under bwrap, another upload and a file elsewhere are not there to be loaded."""
    assert filesystem_isolation(), "bwrap does not work here: `make office-deps` installs it"
    store = FileStore(app.config["UPLOAD_DIR"])
    another_upload = store.path_for(store.put_file(_png(tmp_path / "photo.png", RED)))
    elsewhere = _png(tmp_path / "elsewhere.png", GREEN)
    odp = odp_with_linked_images(str(another_upload), elsewhere.as_uri())
    isolated = _page_image(app, db, add_deck, odp)
    monkeypatch.setattr(processing, "filesystem_isolation", lambda: ())  # `unshare -n` alone
    exposed = _page_image(app, db, add_deck, odp)
    assert [_pixels_near(isolated, colour) for colour in (RED, GREEN)] == [0, 0]
    assert min(_pixels_near(exposed, colour) for colour in (RED, GREEN)) > 10_000  # it sees a leak
