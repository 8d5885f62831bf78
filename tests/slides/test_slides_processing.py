"""Processing decks in the sandbox: page text and images, failures kept and downloadable,
resumption after a restart, slide text in search, and the `flask slides` commands."""
import io
import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from tests.slides.conftest import reloaded
from webapp import create_app
from webapp.core.storage import FileStore
from webapp.extensions import db as _db
from webapp.models import DeckStatus, SlideDeck
from webapp.models._base import utcnow
from webapp.slides.operations import MAX_ATTEMPTS, attach_slides, process_pending_decks

PDF_TEXTS = ("Bienvenue à la médiathèque", "Les ateliers numériques", "Merci aux bibliothécaires")


def test_a_pdf_gets_the_text_and_two_images_of_every_page(app, db, add_deck, make_pdf):
    deck = add_deck(make_pdf(*PDF_TEXTS), "deck.pdf")
    assert process_pending_decks() == 1
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY and deck.page_count == 3 and deck.error is None
    assert [page.text for page in deck.pages] == list(PDF_TEXTS)
    assert deck.processed_at is not None and deck.attempts == 1
    store = FileStore(app.config["UPLOAD_DIR"])
    for page in deck.pages:
        with Image.open(store.path_for(page.thumb_key)) as thumb, \
                Image.open(store.path_for(page.image_key)) as large:
            assert thumb.format == large.format == "WEBP"
            assert thumb.width == 320 and large.size == (page.width, page.height)
        assert page.width == 1600 and abs(page.height - 1600 * 595 / 842) <= 2  # A4 landscape
    assert list(store.tmp.iterdir()) == []  # the scratch directory is gone


@pytest.mark.parametrize("kind", ["pptx", "odp"])
def test_office_decks_without_libreoffice_get_the_text_of_each_slide(
        db, add_deck, slide_files, kind, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin/nonexistent")  # no soffice: the text path
    deck = add_deck(getattr(slide_files, kind)("Première diapositive", "Médiation numérique"),
                    f"deck.{kind}")
    process_pending_decks()
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY and deck.page_count == 2
    assert [page.text for page in deck.pages] == ["Première diapositive", "Médiation numérique"]
    assert all(page.thumb_key is None and page.image_key is None for page in deck.pages)


def test_a_deck_over_the_memory_limit_fails_is_kept_and_downloadable(
        app, db, client, add_deck, make_pdf):
    deck = add_deck(make_pdf(*PDF_TEXTS), "deck.pdf", slug="memory")
    app.config["SLIDES_PROCESS_MEMORY_MB"] = 16  # the parser cannot even start
    process_pending_decks()
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.FAILED and "memory" in deck.error and deck.pages == []
    with client.get(f"/slides/{deck.id}/deck.pdf") as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    listed = client.get("/api/v1/talks/memory/slides").get_json()["decks"][0]
    assert listed["status"] == "failed" and listed["error"] == deck.error


def test_a_deck_over_the_time_limit_fails(app, db, add_deck, make_pdf):
    deck = add_deck(make_pdf(*[f"page {n}" for n in range(400)]), "long.pdf")
    app.config["SLIDES_PROCESS_TIMEOUT"] = 1  # 800 images cannot be made in a second
    process_pending_decks()
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.FAILED and deck.pages == []
    assert "1 second" in deck.error or "limits" in deck.error


def test_too_many_pages_are_refused_at_upload(app, db, client, make_talk, make_pdf, make_user,
                                              api_token):
    app.config["SLIDES_MAX_PAGES"] = 2
    make_talk(slug="pages")
    db.session.commit()
    token = api_token(make_user("organiser"))
    response = client.post("/api/v1/talks/pages/slides", headers={"Authorization": f"Bearer {token}"},
                           data={"file": (io.BytesIO(make_pdf(*PDF_TEXTS)), "x.pdf")})
    assert response.status_code == 422 and response.get_json()["error"] == "too_many_pages"


def new_app_instance(app):
    """The same database and upload directory, as after a server restart."""
    keys = ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "UPLOAD_DIR")
    config = {key: app.config[key] for key in keys}
    config["DATABASE_URL"] = config.pop("SQLALCHEMY_DATABASE_URI")
    return create_app({"TESTING": True, **config})


def test_pending_decks_are_processed_after_a_restart(app, db, add_deck, make_pdf):
    deck = add_deck(make_pdf(*PDF_TEXTS), "deck.pdf")
    restarted = new_app_instance(app)
    result = restarted.test_cli_runner().invoke(args=["slides", "process"])
    assert result.exit_code == 0 and "Decks processed: 1" in result.output
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY and deck.page_count == 3


def test_a_run_that_died_is_resumed_once_its_lease_runs_out_and_counted(app, db, add_deck, make_pdf,
                                                                         runner):
    deck = add_deck(make_pdf(*PDF_TEXTS), "deck.pdf")
    deck.attempts, deck.lease_expires_at = 1, utcnow() + timedelta(hours=1)  # a dead worker's
    db.session.commit()
    assert process_pending_decks() == 0  # the lease still holds, for every worker...
    assert "Decks processed: 0" in runner.invoke(args=["slides", "process"]).output
    deck = reloaded(db, deck.id)
    deck.lease_expires_at = utcnow() - timedelta(seconds=1)  # ...until it runs out
    db.session.commit()
    result = runner.invoke(args=["slides", "process"])
    assert result.exit_code == 0 and "Decks processed: 1" in result.output, result.output
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.READY and deck.attempts == 2


def test_a_deck_interrupted_too_often_is_marked_failed(app, db, add_deck, make_pdf, runner):
    deck = add_deck(make_pdf(*PDF_TEXTS), "deck.pdf")
    deck.attempts = MAX_ATTEMPTS
    db.session.commit()
    runner.invoke(args=["slides", "process"])
    deck = reloaded(db, deck.id)
    assert deck.status == DeckStatus.FAILED and "interrupted" in deck.error


def test_slide_text_is_searchable_and_names_its_page(app, db, client, add_deck, make_pdf,
                                                    drain, found):
    deck = add_deck(make_pdf("Ouverture", "Le fablab de Lannion", "Conclusion"), "deck.pdf",
                    slug="fablab-talk", title="Un retour d'expérience")
    drain()
    assert found("lannion") == []  # not ready yet: no slide text in the index
    process_pending_decks()
    drain()
    assert found("lannion") == ["fablab-talk"]
    results = client.get("/api/v1/search?q=lannion").get_json()["results"]
    assert results[0]["slug"] == "fablab-talk" and results[0]["slide_page"] == 2
    assert reloaded(db, deck.id).status == DeckStatus.READY


def test_a_new_version_replaces_the_indexed_slide_text(db, add_deck, make_pdf, make_talk, drain,
                                                      found):
    deck = add_deck(make_pdf("ancienne version"), "v1.pdf", slug="versioned")
    process_pending_decks()
    attach_slides(reloaded(db, deck.id).talk, io.BytesIO(make_pdf("nouvelle mouture")), "v2.pdf")
    db.session.commit()
    process_pending_decks()
    drain()
    assert found("mouture") == ["versioned"] and found("ancienne") == []


def test_cli_add_stores_and_processes_a_deck(app, db, make_talk, make_pdf, runner, tmp_path):
    make_talk(slug="cli-talk")
    db.session.commit()
    path = tmp_path / "Présentation finale.pdf"
    path.write_bytes(make_pdf(*PDF_TEXTS))
    result = runner.invoke(args=["slides", "add", "cli-talk", str(path), "--licence", "CC0-1.0"])
    assert result.exit_code == 0, result.output
    assert "ready, 3 pages" in result.output
    deck = db.session.scalar(select(SlideDeck))
    assert deck.licence == "CC0-1.0" and deck.original_name == "Présentation finale.pdf"


def test_cli_add_refuses_hostile_files_with_the_reason(app, db, make_talk, runner, tmp_path):
    make_talk(slug="cli-hostile")
    db.session.commit()
    path = tmp_path / "page.pdf"
    path.write_text("<html>not a pdf</html>")
    result = runner.invoke(args=["slides", "add", "cli-hostile", str(path)])
    assert result.exit_code == 1 and "415" in result.output
    assert db.session.scalar(select(SlideDeck)) is None
    assert not any(p.is_file() for p in Path(app.config["UPLOAD_DIR"]).rglob("*")
                   if p.name != "slides.lock")


def test_cli_add_names_an_unknown_talk(runner, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = runner.invoke(args=["slides", "add", "nope", str(path)])
    assert result.exit_code == 1 and "nope" in result.output


def test_the_background_worker_processes_uploads(app, db, add_deck, make_pdf, wait_until):
    from webapp.slides.worker import SlideWorker

    deck = add_deck(make_pdf(*PDF_TEXTS), "deck.pdf")
    app.config["SLIDES_WORKER_LOCK_DIR"] = str(Path(app.config["UPLOAD_DIR"]).parent / "host")
    worker = SlideWorker(app, poll_seconds=0.05)
    worker.start()
    try:
        assert wait_until(lambda: reloaded(_db, deck.id).status == DeckStatus.READY, timeout=60)
    finally:
        worker.stop(timeout=30)
    assert not worker.is_running


def test_pages_are_announced_as_they_are_done_and_saved_once(app, db, add_deck, make_pdf):
    from webapp.slides.operations import claim_next_deck, process_deck
    from webapp.slides.processing import Limits, finished_pages, render_deck

    texts = [f"diapositive {n}" for n in range(1, 13)]
    deck = add_deck(make_pdf(*texts), "deck.pdf")
    store = FileStore(app.config["UPLOAD_DIR"])
    with store.temporary_directory() as workdir:
        rendered = render_deck(store.path_for(deck.storage_key), "pdf", Path(workdir),
                               Limits.from_config())
        assert [p.number for p in finished_pages(Path(workdir))] == list(range(1, 13))
        assert [p.text for p in rendered] == texts
    claimed = claim_next_deck()
    commits = []
    process_deck(claimed, save_progress=lambda: commits.append(len(claimed.pages)))
    db.session.commit()
    deck = reloaded(db, deck.id)
    assert [page.number for page in deck.pages] == list(range(1, 13))
    assert all(0 <= count <= 12 for count in commits)


def test_prune_removes_the_files_of_deleted_decks_only(app, db, add_deck, make_pdf, runner):
    kept = add_deck(make_pdf("gardé"), "kept.pdf")
    gone = add_deck(make_pdf("supprimé"), "gone.pdf")
    process_pending_decks()
    store = FileStore(app.config["UPLOAD_DIR"])
    gone = reloaded(db, gone.id)
    gone_keys = [gone.storage_key] + [k for p in gone.pages for k in (p.thumb_key, p.image_key)]
    db.session.delete(gone.talk)
    db.session.commit()
    assert runner.invoke(args=["slides", "prune"]).output == "Files removed: 0\n"  # too recent
    result = runner.invoke(args=["slides", "prune", "--min-age", "0"])
    assert result.output == "Files removed: 3\n"
    assert not any(store.path_for(key).exists() for key in gone_keys)
    kept = reloaded(db, kept.id)
    assert store.exists(kept.storage_key) and all(store.exists(p.image_key) for p in kept.pages)


# --- the sandbox's boundaries: environment, processes, manifest --------------------------------

def test_a_parser_process_sees_none_of_the_apps_secrets(monkeypatch, tmp_path):
    from webapp.slides.processing import _run

    for name in ("SECRET_KEY", "DATABASE_URL", "MAIL_PASSWORD", "CAUSERIES_SECRET_KEY"):
        monkeypatch.setenv(name, "do-not-leak")
    program = "import json, os; print(json.dumps(dict(os.environ)))"
    returncode, stdout = _run([sys.executable, "-I", "-c", program], timeout=20, home=tmp_path)
    environment = json.loads(stdout)
    assert returncode == 0
    assert "do-not-leak" not in stdout.decode()
    assert set(environment) <= {"PATH", "LANG", "LC_ALL", "HOME", "LC_CTYPE"}
    assert environment["HOME"] == str(tmp_path)


def _is_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in state  # killed, waiting to be reaped by init


def test_a_timeout_kills_the_parser_and_every_process_it_started(tmp_path, wait_until):
    from webapp.slides.processing import ProcessingError, _run

    pid_file = tmp_path / "grandchild.pid"
    program = ("import subprocess, sys, time\n"
               "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
               f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
               "time.sleep(60)\n")
    with pytest.raises(ProcessingError) as refused:
        _run([sys.executable, "-I", "-c", program], timeout=2)
    assert refused.value.kind == "timeout"
    grandchild = int(pid_file.read_text())
    assert wait_until(lambda: _is_gone(grandchild), 5)


@pytest.mark.parametrize("page", [
    {"number": 1, "text": "x", "thumb": "../outside.webp"},
    {"number": 1, "text": "x", "large": "/etc/passwd"},
    {"number": 1, "text": "x", "thumb": "."},
    {"number": "1", "text": "x"},
    {"number": 1, "width": -5},
    "not a page",
])
def test_a_manifest_naming_files_outside_the_work_directory_is_refused(tmp_path, page):
    from webapp.slides.processing import ProcessingError, _read_manifest, finished_pages

    (tmp_path / "manifest.json").write_text(json.dumps({"pages": [page]}))
    with pytest.raises(ProcessingError) as refused:
        _read_manifest(tmp_path)
    assert refused.value.kind == "corrupt"
    (tmp_path / "page-1.json").write_text(json.dumps(page))
    with pytest.raises(ProcessingError):
        finished_pages(tmp_path)


@pytest.mark.parametrize("manifest", ['{"pages": 3}', "[]", "not json", '{"pages": [{"number": 1}]'])
def test_a_malformed_manifest_is_a_clear_processing_error(tmp_path, manifest):
    from webapp.slides.processing import ProcessingError, _read_manifest

    (tmp_path / "manifest.json").write_text(manifest)
    with pytest.raises(ProcessingError):
        _read_manifest(tmp_path)


def test_a_manifest_inside_the_work_directory_is_read(tmp_path):
    from webapp.slides.processing import _read_manifest

    (tmp_path / "p1.webp").write_bytes(b"x")
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"pages": [{"number": 1, "text": "Bonjour", "thumb": "p1.webp", "width": 320, "height": 180}]}))
    [page] = _read_manifest(tmp_path)
    assert (page.number, page.text, page.width) == (1, "Bonjour", 320)
    assert page.thumb_path == (tmp_path / "p1.webp").resolve()
