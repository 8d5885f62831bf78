"""POST /api/v1/talks/<slug>/slides: real decks are accepted, hostile files refused with the right
status and nothing kept (no row, no stored file, no temporary file), never a 500."""
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.models import DeckStatus, SlideDeck, Status

PDF_TEXTS = ("Bienvenue à la médiathèque", "Les ateliers numériques", "Merci bibliothécaires")


@pytest.fixture
def committed_talk(db, make_talk):
    """make_talk, committed: requests run in their own sessions."""
    def make(**fields):
        talk = make_talk(**fields)
        db.session.commit()
        return talk

    return make


@pytest.fixture
def organiser_token(make_user, api_token):
    return api_token(make_user("organiser"))


def post_deck(client, slug, data: bytes, filename: str, token: str | None, **fields):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1/talks/{slug}/slides", headers=headers,
                       data={"file": (io.BytesIO(data), filename), **fields},
                       content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [path for path in root.rglob("*") if path.is_file() and path.name != "slides.lock"]


def deck_count(db) -> int:
    return db.session.scalar(select(func.count(SlideDeck.id)))


def test_pdf_upload_answers_202_with_the_deck_and_stores_it_by_content(
        app, db, client, committed_talk, make_pdf, organiser_token):
    talk = committed_talk(slug="ateliers")
    pdf = make_pdf(*PDF_TEXTS)
    response = post_deck(client, "ateliers", pdf, "Mes diapos.pdf", organiser_token,
                         licence="CC-BY-SA-4.0")
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "processing" and body["version"] == 1 and body["pages"] is None
    assert body["error"] is None and body["download_url"].endswith(f"/slides/{body['id']}/Mes%20diapos.pdf")
    deck = db.session.get(SlideDeck, body["id"])
    assert deck.talk_id == talk.id and deck.kind == "pdf" and deck.licence == "CC-BY-SA-4.0"
    assert deck.size == len(pdf) and deck.uploaded_by_id is not None
    import hashlib
    assert deck.sha256 == deck.storage_key == hashlib.sha256(pdf).hexdigest()
    [stored] = stored_files(app)
    assert stored.read_bytes() == pdf and stored.name == deck.sha256
    assert "static" not in stored.parts


@pytest.mark.parametrize("kind", ["pptx", "odp"])
def test_office_decks_are_recognised_by_their_zip_structure(
        db, client, committed_talk, slide_files, organiser_token, kind):
    committed_talk(slug="office")
    data = getattr(slide_files, kind)("Première diapositive", "Deuxième")
    response = post_deck(client, "office", data, "renamed.bin", organiser_token)
    assert response.status_code == 202
    deck = db.session.get(SlideDeck, response.get_json()["id"])
    assert deck.kind == kind and deck.original_name == f"renamed.{kind}"


def test_keynote_is_stored_as_a_download_only_and_ready_at_once(
        db, client, committed_talk, slide_files, organiser_token):
    committed_talk(slug="keynote")
    response = post_deck(client, "keynote", slide_files.keynote(), "talk.key", organiser_token)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "ready" and body["pages"] is None and body["kind"] == "key"


def test_a_new_upload_becomes_the_current_version(db, client, committed_talk, make_pdf,
                                                  organiser_token):
    committed_talk(slug="versions")
    first = post_deck(client, "versions", make_pdf("v1"), "a.pdf", organiser_token).get_json()
    second = post_deck(client, "versions", make_pdf("v2"), "b.pdf", organiser_token).get_json()
    assert (first["version"], second["version"]) == (1, 2)
    decks = {d.id: d for d in db.session.scalars(select(SlideDeck))}
    assert decks[second["id"]].is_current and not decks[first["id"]].is_current


def assert_nothing_kept(app, db):
    assert deck_count(db) == 0
    assert stored_files(app) == []


@pytest.mark.parametrize("case, status, code", [
    ("html_named_pdf", 415, "unsupported_type"),
    ("png_named_pptx", 415, "unsupported_type"),
    ("plain_zip_named_pptx", 415, "unsupported_type"),
    ("empty", 422, "empty"),
    ("truncated_pdf", 422, "corrupt"),
    ("garbage_after_pdf_magic", 422, "corrupt"),
    ("encrypted_pdf", 422, "encrypted"),
    ("zip_bomb_named_pptx", 422, "zip_bomb"),
    ("truncated_pptx", 422, "corrupt"),
])
def test_hostile_files_are_refused_and_nothing_is_kept(
        app, db, client, committed_talk, make_pdf, slide_files, organiser_token, case, status, code):
    committed_talk(slug="hostile")
    pdf = make_pdf(*PDF_TEXTS)
    data, name = {
        "html_named_pdf": (b"<!doctype html><script>alert(1)</script>", "slides.pdf"),
        "png_named_pptx": (b"\x89PNG\r\n\x1a\n" + bytes(100), "slides.pptx"),
        "plain_zip_named_pptx": (_plain_zip(), "slides.pptx"),
        "empty": (b"", "slides.pdf"),
        "truncated_pdf": (pdf[: len(pdf) // 2], "slides.pdf"),
        "garbage_after_pdf_magic": (b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "x.pdf"),
        "encrypted_pdf": (slide_files.encrypted_pdf(pdf), "slides.pdf"),
        "zip_bomb_named_pptx": (slide_files.zip_bomb(), "slides.pptx"),
        "truncated_pptx": (slide_files.pptx("one")[:3000], "slides.pptx"),
    }[case]
    response = post_deck(client, "hostile", data, name, organiser_token)
    assert response.status_code == status
    body = response.get_json()
    assert body["error"] == code and body["message"]
    assert_nothing_kept(app, db)


def _plain_zip() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a presentation")
    return buffer.getvalue()


class TestSizeLimits:
    @pytest.fixture
    def app_config(self):
        return {"SLIDES_MAX_BYTES": 50_000}

    def test_a_file_over_the_limit_is_refused_with_413(
            self, app, db, client, committed_talk, make_pdf, organiser_token):
        committed_talk(slug="big")
        data = make_pdf("big") + b"%" + b"x" * 60_000  # a PDF comment: still a valid PDF
        client.set_cookie("lang", "en")
        response = post_deck(client, "big", data, "big.pdf", organiser_token)
        assert response.status_code == 413
        assert response.get_json()["error"] == "too_large"
        assert_nothing_kept(app, db)

    def test_a_body_over_max_content_length_is_refused_while_streaming(
            self, app, db, client, committed_talk, organiser_token):
        committed_talk(slug="huge")
        client.set_cookie("lang", "en")
        body = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\n"
                b"Content-Type: application/pdf\r\n\r\n%PDF-" + bytes(2_000_000) + b"\r\n--B--\r\n")
        response = client.post("/api/v1/talks/huge/slides", data=body,
                               content_type="multipart/form-data; boundary=B",
                               headers={"Authorization": f"Bearer {organiser_token}"})
        assert response.status_code == 413
        assert response.get_json() == {"error": "too_large", "message":
                                       "The file is larger than the limit of 50 kB."}
        assert_nothing_kept(app, db)

    def test_a_file_just_under_the_limit_is_accepted(self, db, client, committed_talk, make_pdf,
                                                     organiser_token):
        committed_talk(slug="fits")
        pdf = make_pdf("fits")
        response = post_deck(client, "fits", pdf, "fits.pdf", organiser_token)
        assert response.status_code == 202 and len(pdf) < 50_000


class TestZipLimits:
    @pytest.fixture
    def app_config(self):
        # python-pptx's template: about 40 members expanding to about 95 kB
        return {"SLIDES_MAX_UNZIPPED_BYTES": 50_000, "SLIDES_MAX_ZIP_ENTRIES": 100}

    def test_expanded_size_over_the_limit_is_a_zip_bomb(self, app, db, client, committed_talk,
                                                       slide_files, organiser_token):
        committed_talk(slug="expanded")
        response = post_deck(client, "expanded", slide_files.pptx("x"), "x.pptx", organiser_token)
        assert response.status_code == 422 and response.get_json()["error"] == "zip_bomb"
        assert_nothing_kept(app, db)

    def test_too_many_members_is_a_zip_bomb(self, app, db, client, committed_talk,
                                            organiser_token):
        import zipfile

        committed_talk(slug="entries")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("ppt/presentation.xml", "<presentation/>")
            for number in range(150):
                archive.writestr(f"ppt/slides/slide{number}.xml", "<sld/>")
        response = post_deck(client, "entries", buffer.getvalue(), "x.pptx", organiser_token)
        assert response.status_code == 422 and response.get_json()["error"] == "zip_bomb"
        assert_nothing_kept(app, db)


def test_requests_without_a_usable_file_field_get_400(db, client, committed_talk, organiser_token):
    committed_talk(slug="nofile")
    response = client.post("/api/v1/talks/nofile/slides", data={"other": "x"},
                           headers={"Authorization": f"Bearer {organiser_token}"})
    assert response.status_code == 400 and response.get_json()["error"] == "missing_file"


def test_unknown_talk_is_404(client, make_pdf, organiser_token):
    response = post_deck(client, "nope", make_pdf("x"), "x.pdf", organiser_token)
    assert response.status_code == 404 and response.get_json()["error"]


def test_invalid_licence_is_400(app, db, client, committed_talk, make_pdf, organiser_token):
    committed_talk(slug="licence")
    response = post_deck(client, "licence", make_pdf("x"), "x.pdf", organiser_token,
                         licence="<script>")
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_licence"
    assert_nothing_kept(app, db)


@pytest.mark.parametrize("who, status", [("nobody", 401), ("bad-token", 401),
                                         ("speaker", 403), ("organiser", 202), ("admin", 202)])
def test_only_organiser_and_admin_tokens_may_upload(
        app, db, client, committed_talk, make_pdf, make_user, api_token, who, status):
    committed_talk(slug="perm", status=Status.DRAFT)
    tokens = {"nobody": None, "bad-token": "not-a-token"}
    token = tokens[who] if who in tokens else api_token(make_user(who))
    response = post_deck(client, "perm", make_pdf("x"), "x.pdf", token)
    assert response.status_code == status
    assert deck_count(db) == (1 if status == 202 else 0)


def test_a_session_cookie_is_not_enough_to_upload(db, client, committed_talk, make_pdf, make_user,
                                                  login_as):
    committed_talk(slug="cookie")
    login_as(make_user("organiser"))
    db.session.commit()
    response = post_deck(client, "cookie", make_pdf("x"), "x.pdf", None)
    assert response.status_code == 401 and deck_count(db) == 0


def test_listing_shows_the_public_the_current_deck_and_organisers_every_version(
        db, client, committed_talk, make_pdf, organiser_token):
    committed_talk(slug="listing")
    for text in ("one", "two"):
        post_deck(client, "listing", make_pdf(text), f"{text}.pdf", organiser_token)
    public = client.get("/api/v1/talks/listing/slides").get_json()["decks"]
    assert [deck["version"] for deck in public] == [2]
    assert set(public[0]) >= {"id", "version", "status", "pages", "download_url", "error"}
    organiser = client.get("/api/v1/talks/listing/slides",
                           headers={"Authorization": f"Bearer {organiser_token}"}).get_json()
    assert [deck["version"] for deck in organiser["decks"]] == [2, 1]


def test_a_draft_talks_decks_are_not_listed_to_the_public(db, client, committed_talk):
    committed_talk(slug="secret", status=Status.DRAFT)
    assert client.get("/api/v1/talks/secret/slides").status_code == 404


def test_processing_status_is_listed(db, client, committed_talk, make_pdf, organiser_token):
    committed_talk(slug="status")
    post_deck(client, "status", make_pdf("x"), "x.pdf", organiser_token)
    [deck] = client.get("/api/v1/talks/status/slides").get_json()["decks"]
    assert deck["status"] == DeckStatus.PROCESSING
