"""A bulk slide upload through the workspace: the ZIP, the preview of the matching, the corrections,
the confirmation; who may use it, CSRF, the size limit, refused archives."""
import os
import re
import zipfile
from pathlib import Path

import pytest

from tests.slides.zip_files import zip_of
from webapp.models import DeckStatus, SlideDeck, Status

TOKEN_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def event_and_talks(db, make_event, make_talk):
    event = make_event("Journée des bibliothèques", slug="journee")
    talks = [make_talk("Les grainothèques partagées", event=event, slug="grainotheques", position=1),
             make_talk("Fablab en médiathèque", event=event, slug="fablab", position=2),
             make_talk("Le jeu vidéo à la bibliothèque", event=event, slug="jeux", position=3,
                       status=Status.DRAFT)]
    db.session.commit()
    return event, talks


@pytest.fixture
def organiser(manage_client):
    client, _ = manage_client("organiser")
    return client


def token_of(client, path: str) -> str:
    return TOKEN_FIELD.search(client.get(path).get_data(as_text=True)).group(1)


def multipart(fields: dict, data: bytes, name: str) -> bytes:
    """A multipart body sent as bytes (the test client would spool a large one to a file it never closes)."""
    parts = [f'--B\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--B\r\nContent-Disposition: form-data; name="archive"; filename="{name}"\r\n'
                 f"Content-Type: application/zip\r\n\r\n".encode() + data + b"\r\n--B--\r\n")
    return b"".join(parts)


def post_archive(client, event, data: bytes, name="decks.zip", **fields):
    return client.post(f"/manage/events/{event.id}/slides/bulk", data=multipart(fields, data, name),
                       content_type="multipart/form-data; boundary=B")


def upload(client, event, data: bytes, licence="CC-BY-4.0", name="decks.zip"):
    token = token_of(client, f"/manage/events/{event.id}/edit")
    return post_archive(client, event, data, name, csrf_token=token, licence=licence)


def staged_folders(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"]) / "bulk"
    return list(root.iterdir()) if root.is_dir() else []


def selected(page: str, field_id: str) -> str | None:
    select = re.search(rf'<select[^>]*id="{field_id}"[^>]*>(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r'<option selected value="([^"]*)"', select)
    return chosen.group(1) if chosen else None


def states(page: str) -> list[str]:
    return re.findall(r'data-bulk-state="([a-z]+)"', page)


def test_preview_then_confirm_with_a_correction_and_a_skip(app, db, organiser, event_and_talks, make_pdf):
    event, (seeds, fablab, games) = event_and_talks
    pdf = make_pdf("Bienvenue")
    archive = zip_of({"grainotheques.pdf": pdf, "Fablab en Médiathèque.pdf": pdf, "03-dupont.pdf": pdf,
                      "programme.pdf": pdf, "notes.txt": b"just some notes"})
    response = upload(organiser, event, archive)
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    page = organiser.get(preview_url).get_data(as_text=True)
    assert states(page) == ["matched", "matched", "matched", "unmatched", "refused"]
    assert [selected(page, f"bulk-file-{n}-talk") for n in range(4)] == [
        str(seeds.id), str(fablab.id), str(games.id), ""]
    assert selected(page, "bulk-file-0-licence") == "CC-BY-4.0"
    assert "bulk-file-4-talk" not in page and "not a PDF" in page  # the text file: refused, no select
    assert SlideDeck.query.count() == 0  # nothing is added before the confirmation

    response = organiser.post(preview_url, data={
        "csrf_token": TOKEN_FIELD.search(page).group(1),
        "talk_0": str(seeds.id), "licence_0": "CC-BY-SA-4.0",
        "talk_1": "", "licence_1": "CC-BY-4.0",  # skipped
        "talk_2": str(games.id), "licence_2": "CC-BY-4.0",
        "talk_3": str(fablab.id), "licence_3": "CC-BY-4.0"})  # corrected
    report = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-bulk-added="3"' in report
    assert "programme.pdf" in report and "Fablab en Médiathèque.pdf" in report  # added / not added
    decks = {deck.talk_id: deck for deck in db.session.query(SlideDeck)}
    assert set(decks) == {seeds.id, fablab.id, games.id}
    assert decks[seeds.id].licence == "CC-BY-SA-4.0" and decks[fablab.id].original_name == "programme.pdf"
    assert all(deck.status == DeckStatus.PROCESSING and deck.is_current for deck in decks.values())
    assert staged_folders(app) == []  # the batch is gone once added...
    assert organiser.get(preview_url).status_code == 404  # ...and cannot be confirmed twice


def test_the_decks_are_processed_by_the_slide_worker(db, organiser, event_and_talks, make_pdf):
    from webapp.slides.operations import process_pending_decks

    event, (seeds, *_) = event_and_talks
    preview_url = upload(organiser, event, zip_of({"01-ouverture.pdf": make_pdf("Un", "Deux")})).headers["Location"]
    token = token_of(organiser, preview_url)
    organiser.post(preview_url, data={"csrf_token": token, "talk_0": str(seeds.id), "licence_0": "CC-BY-4.0"})
    assert process_pending_decks() == 1
    db.session.commit()
    deck = db.session.query(SlideDeck).one()
    assert (deck.talk_id, deck.status, deck.page_count) == (seeds.id, DeckStatus.READY, 2)


def test_two_files_on_one_talk_are_flagged_and_refused_until_corrected(db, organiser, event_and_talks, make_pdf):
    event, (seeds, fablab, _) = event_and_talks
    pdf = make_pdf("Bienvenue")
    preview_url = upload(organiser, event, zip_of({"grainotheques.pdf": pdf, "01-bis.pdf": pdf})).headers["Location"]
    page = organiser.get(preview_url).get_data(as_text=True)
    assert states(page) == ["doubled", "doubled"] and "data-bulk-error" in page
    data = {"csrf_token": TOKEN_FIELD.search(page).group(1), "talk_0": str(seeds.id), "licence_0": "CC-BY-4.0",
            "talk_1": str(seeds.id), "licence_1": "CC-BY-4.0"}
    assert organiser.post(preview_url, data=data).status_code == 422
    assert db.session.query(SlideDeck).count() == 0
    response = organiser.post(preview_url, data={**data, "talk_1": str(fablab.id)})
    assert response.status_code == 200 and db.session.query(SlideDeck).count() == 2


def test_choices_outside_the_event_and_an_empty_choice_are_refused(db, organiser, event_and_talks, make_talk, make_pdf):
    event, _ = event_and_talks
    elsewhere = make_talk("Ailleurs")
    db.session.commit()
    preview_url = upload(organiser, event, zip_of({"zzz.pdf": make_pdf("x")})).headers["Location"]
    token = token_of(organiser, preview_url)
    outside = organiser.post(preview_url, data={"csrf_token": token, "talk_0": str(elsewhere.id),
                                                "licence_0": "CC-BY-4.0"})
    assert outside.status_code == 422 and "Choose a talk of this event" in outside.get_data(as_text=True)
    garbage = organiser.post(preview_url, data={"csrf_token": token, "talk_0": "abc", "licence_0": "CC-0"})
    assert garbage.status_code == 422 and "Choose the licence of the slides." in garbage.get_data(as_text=True)
    nothing = organiser.post(preview_url, data={"csrf_token": token, "talk_0": "", "licence_0": "CC-BY-4.0"})
    assert nothing.status_code == 422 and "at least one file" in nothing.get_data(as_text=True)
    assert db.session.query(SlideDeck).count() == 0


def test_a_name_that_may_mean_two_talks_names_both(db, organiser, make_event, make_talk, make_pdf):
    event = make_event("Ateliers")
    make_talk("Atelier numérique, matin", event=event)
    make_talk("Atelier numérique, soir", event=event)
    db.session.commit()
    page = organiser.get(upload(organiser, event, zip_of({"atelier numerique.pdf": make_pdf("x")})).headers["Location"])
    text = page.get_data(as_text=True)
    assert states(text) == ["ambiguous"] and selected(text, "bulk-file-0-talk") == ""
    assert "Atelier numérique, matin ; Atelier numérique, soir" in text or \
        "Atelier numérique, soir ; Atelier numérique, matin" in text


def test_office_decks_are_accepted_as_single_uploads_are(db, organiser, event_and_talks, slide_files):
    event, (seeds, fablab, _) = event_and_talks
    archive = zip_of({"grainotheques.pptx": slide_files.pptx("Un"), "fablab.odp": slide_files.odp("Deux")})
    page = organiser.get(upload(organiser, event, archive).headers["Location"]).get_data(as_text=True)
    assert states(page) == ["matched", "matched"] and "PPTX" in page and "ODP" in page


@pytest.mark.parametrize("name, data, code", [
    ("../evil.pdf", b"%PDF-1.4 %%EOF", "leaves the archive"),
    ("inner.zip", zip_of({"a.pdf": b"%PDF-1.4 %%EOF"}), "another archive"),
])
def test_a_hostile_archive_is_refused_and_nothing_is_staged(app, organiser, event_and_talks, name, data, code):
    event, _ = event_and_talks
    response = upload(organiser, event, zip_of({"fine.pdf": b"%PDF-1.4 %%EOF", name: data}))
    assert response.status_code == 422 and code in response.get_data(as_text=True)
    assert staged_folders(app) == []


def test_a_file_that_is_no_zip_is_refused(organiser, event_and_talks, make_pdf):
    event, _ = event_and_talks
    response = upload(organiser, event, make_pdf("x"), name="decks.zip")
    assert response.status_code == 422 and "not a ZIP archive" in response.get_data(as_text=True)


def test_the_archive_may_exceed_the_request_limit_of_other_forms_up_to_its_own(app, organiser, event_and_talks,
                                                                              make_pdf):
    event, _ = event_and_talks
    archive = zip_of({"01-deck.pdf": make_pdf("Un"), "02-photos.pdf": os.urandom(1_200_000)}, zipfile.ZIP_STORED)
    app.config["MAX_CONTENT_LENGTH"] = 20_000  # far smaller than the archive
    assert upload(organiser, event, archive).status_code == 303
    app.config["SLIDES_BULK_MAX_BYTES"] = 1_100_000  # the archive is larger: refused while it is copied
    response = upload(organiser, event, archive)
    assert response.status_code == 413
    assert "The archive is larger than the limit of 1.1 MB." in response.get_data(as_text=True)
    app.config["SLIDES_BULK_MAX_BYTES"] = 10_000  # the request is larger than this plus the form's share
    response = upload(organiser, event, archive)
    assert response.status_code == 413 and 'id="bulk-archive"' in response.get_data(as_text=True)
    assert "The archive is larger than the limit of 10 kB." in response.get_data(as_text=True)


def test_a_batch_belongs_to_its_organiser_and_its_event_and_expires(app, db, organiser, manage_client,
                                                                    event_and_talks, make_event, make_pdf):
    event, _ = event_and_talks
    other_event = make_event()
    db.session.commit()
    preview_url = upload(organiser, event, zip_of({"fablab.pdf": make_pdf("x")})).headers["Location"]
    token = preview_url.rsplit("/", 1)[1]
    assert organiser.get(f"/manage/events/{other_event.id}/slides/bulk/{token}").status_code == 404
    assert organiser.get(f"/manage/events/{event.id}/slides/bulk/..%2F..%2Fetc").status_code == 404
    assert organiser.get(preview_url).status_code == 200
    app.config["SLIDES_BULK_STAGING_SECONDS"] = -1
    assert organiser.get(preview_url).status_code == 404
    app.config["SLIDES_BULK_STAGING_SECONDS"] = 3600
    assert organiser.get(preview_url).status_code == 200
    other, _ = manage_client("organiser")  # the same test client, now another organiser's
    assert other.get(preview_url).status_code == 404


def test_speakers_get_403_and_anonymous_visitors_the_login_page_before_the_body_is_read(
        app, client, manage_client, event_and_talks, make_pdf):
    event, _ = event_and_talks
    path = f"/manage/events/{event.id}/slides/bulk"
    app.config["SLIDES_BULK_MAX_BYTES"] = 10  # a body read first would be a 413
    archive = zip_of({"a.pdf": make_pdf("x")})
    anonymous = post_archive(client, event, archive, licence="CC-BY-4.0")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client.get(f"{path}/{'a' * 32}").status_code == 302
    speaker, _ = manage_client("speaker")
    assert post_archive(speaker, event, archive, licence="CC-BY-4.0").status_code == 403
    assert speaker.get(path).status_code == 403
    assert speaker.post(f"{path}/{'a' * 32}", data={}).status_code == 403
    assert staged_folders(app) == []


def test_both_forms_need_their_csrf_token(app, db, organiser, event_and_talks, make_pdf):
    event, (seeds, *_) = event_and_talks
    archive = zip_of({"fablab.pdf": make_pdf("x")})
    refused = post_archive(organiser, event, archive, licence="CC-BY-4.0")
    assert refused.status_code == 400 and staged_folders(app) == []
    preview_url = upload(organiser, event, archive).headers["Location"]
    refused = organiser.post(preview_url, data={"talk_0": str(seeds.id), "licence_0": "CC-BY-4.0"})
    assert refused.status_code == 400 and db.session.query(SlideDeck).count() == 0


def test_the_event_page_offers_the_bulk_upload(organiser, event_and_talks):
    event, _ = event_and_talks
    page = organiser.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert f'action="/manage/events/{event.id}/slides/bulk"' in page and 'href="#bulk-slides"' in page
    assert 'id="bulk-archive"' in page and "bulk_slides.js" in page
