"""The slides on the talk page (ready, processing, failed), slide hits in search, the upload form
of the talk's workspace page."""
import io
import re

import pytest
from sqlalchemy import event

from webapp.models import DeckKind, DeckStatus, SlideDeck, SlidePage, Status
from webapp.search.documents import iter_public_documents

pytestmark = pytest.mark.usefixtures("english_ui")

KEY = "ab" * 32
SLIDE_TEXTS = ["Bienvenue à la médiathèque", "Les ateliers numériques\nBilan 2016", "Merci !"]


@pytest.fixture
def make_deck(db):
    def make(talk, *, status=DeckStatus.READY, texts=SLIDE_TEXTS, images=True, version=1,
             is_current=True, error=None, kind=DeckKind.PDF):
        deck = SlideDeck(talk_id=talk.id, version=version, is_current=is_current, status=status,
                         error=error, kind=kind, original_name=f"slides-v{version}.{kind.value}",
                         sha256=KEY, size=123456, storage_key=KEY, licence="CC-BY-SA-4.0",
                         page_count=len(texts) if status == DeckStatus.READY else None)
        deck.pages = [SlidePage(number=n, text=text, width=1600, height=900,
                                thumb_key=KEY if images else None, image_key=KEY if images else None)
                      for n, text in enumerate(texts, start=1)] if status == DeckStatus.READY else []
        db.session.add(deck)
        db.session.commit()
        return deck

    return make


def talk_page(client, talk) -> str:
    response = client.get(f"/talks/{talk.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_ready_deck_shows_viewer_thumbnails_text_and_download(client, make_talk, make_deck, db):
    talk = make_talk(slug="ateliers")
    deck = make_deck(talk)
    html = talk_page(client, talk)
    assert 'data-slide-viewer' in html and 'aria-live="polite"' in html
    assert html.count("data-slide-thumb=") == 3
    thumbs = re.findall(r'<img src="[^"]+/pages/\d/thumb[^"]*"[^>]*>', html)
    assert len(thumbs) == 3 and all('loading="lazy"' in t and 'width="320"' in t and 'height="180"' in t
                                    for t in thumbs)
    assert 'id="slide-2"' in html and 'id="slide-2-text"' in html
    assert "<p>Les ateliers numériques</p>" in html and "<p>Bilan 2016</p>" in html
    assert f'/slides/{deck.id}/slides-v1.pdf" download' in html
    assert "js/slides.js" in html and "css/slides.css" in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers (CSP)


def test_text_only_deck_lists_text_without_viewer(client, make_talk, make_deck):
    talk = make_talk()
    make_deck(talk, images=False, kind=DeckKind.PPTX)
    html = talk_page(client, talk)
    assert "data-slide-viewer" not in html and "<img" not in html.split('id="slides"')[1]
    assert 'id="slide-1-text"' in html and "Bienvenue à la médiathèque" in html


def test_processing_deck_polls_the_api_and_offers_the_file(client, make_talk, make_deck):
    talk = make_talk(slug="en-cours")
    deck = make_deck(talk, status=DeckStatus.PROCESSING)
    html = talk_page(client, talk)
    assert 'data-slides-poll="/api/v1/talks/en-cours/slides"' in html
    assert f'data-deck-id="{deck.id}"' in html and 'data-deck-status="processing"' in html
    assert "data-slide-viewer" not in html and "being processed" in html
    assert f"/slides/{deck.id}/" in html


def test_failed_deck_says_so_without_internals_and_offers_the_file(client, make_talk, make_deck):
    talk = make_talk()
    deck = make_deck(talk, status=DeckStatus.FAILED, error="pdfium: FPDF_ERR_FORMAT at 0x3f")
    html = talk_page(client, talk)
    assert "could not be shown" in html and f"/slides/{deck.id}/" in html
    assert "FPDF_ERR_FORMAT" not in html and "data-slide-viewer" not in html


def test_only_the_current_version_is_shown(client, make_talk, make_deck):
    talk = make_talk()
    make_deck(talk, texts=["Ancienne version"], version=1, is_current=False)
    make_deck(talk, texts=["Nouvelle version"], version=2)
    html = talk_page(client, talk)
    assert "Nouvelle version" in html and "Ancienne version" not in html


def test_talk_without_slides_has_no_slides_section(client, make_talk, db):
    talk = make_talk()
    db.session.commit()
    html = talk_page(client, talk)
    assert 'id="slides"' not in html and "js/slides.js" not in html


@pytest.mark.parametrize("draft", ["talk", "event"])
def test_a_drafts_slides_are_not_visible(client, make_talk, make_event, make_deck, draft):
    event = make_event(status=Status.DRAFT if draft == "event" else Status.PUBLISHED)
    talk = make_talk(event=event, status=Status.DRAFT if draft == "talk" else Status.PUBLISHED)
    make_deck(talk, texts=["Secret"])
    assert client.get(f"/talks/{talk.slug}").status_code == 404


def test_search_hit_inside_slides_names_the_page_and_links_to_it(client, make_talk, make_deck, drain):
    talk = make_talk(slug="fablab", title="Un fablab en bibliothèque")
    make_deck(talk, texts=["Introduction", "Imprimantes tridimensionnelles", "Conclusion"])
    drain()
    html = client.get("/search?q=tridimensionnelles").get_data(as_text=True)
    result = html.split('class="search-result__slide"')[1].split("</p>")[0]
    assert 'href="/talks/fablab#slide-2"' in result
    assert re.search(r'<img src="[^"]+/pages/2/thumb[^"]*"', result) and 'loading="lazy"' in result
    assert "2" in re.sub(r"<[^>]+>", "", result)


# The upload form, on the talk's workspace page -----------------------------------------------

PDF_TEXTS = ("Première diapositive", "Deuxième diapositive", "Troisième")


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def upload_url(talk) -> str:
    return f"/manage/talks/{talk.id}/slides"


def talk_page_url(talk) -> str:
    return f"/manage/talks/{talk.id}/edit"


@pytest.fixture
def organiser_client(client, make_user, login_as, db):
    user = make_user("organiser")
    db.session.commit()
    return login_as(user)


def post_upload(client, talk, content: bytes, filename: str, *, xhr=False, token=None):
    token = token or csrf_token(client.get(talk_page_url(talk)).get_data(as_text=True))
    headers = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"} if xhr else {}
    data = {"csrf_token": token, "licence": "CC-BY-4.0", "file": (io.BytesIO(content), filename)}
    return client.post(upload_url(talk), data=data, headers=headers,
                       content_type="multipart/form-data")


def test_upload_page_has_drop_zone_progress_bar_and_versions(organiser_client, make_talk, make_deck, db):
    talk = make_talk()
    make_deck(talk, version=1, is_current=False)
    make_deck(talk, version=2, status=DeckStatus.FAILED, error="Le fichier est tronqué.")
    db.session.commit()
    html = organiser_client.get(talk_page_url(talk)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "data-drop-zone" in html
    assert 'type="file"' in html and "data-upload-bar" in html and 'name="csrf_token"' in html
    assert "slides-v1.pdf" in html and "slides-v2.pdf" in html  # older versions stay listed
    assert "Le fichier est tronqué." in html  # organisers see why processing failed


def test_upload_without_javascript_redirects_to_the_versions(organiser_client, make_talk, make_pdf, db):
    talk = make_talk()
    db.session.commit()
    response = post_upload(organiser_client, talk, make_pdf(*PDF_TEXTS), "journée.pdf")
    assert response.status_code == 303 and response.location.endswith(talk_page_url(talk) + "#slides")
    deck = db.session.query(SlideDeck).filter_by(talk_id=talk.id).one()
    assert deck.kind == DeckKind.PDF and deck.licence == "CC-BY-4.0" and deck.is_current
    html = organiser_client.get(talk_page_url(talk)).get_data(as_text=True)
    assert "journ" in html and f'data-deck-row="{deck.id}" data-deck-status="processing"' in html


def test_upload_with_javascript_answers_json(organiser_client, make_talk, make_pdf, db):
    talk = make_talk(slug="xhr")
    db.session.commit()
    response = post_upload(organiser_client, talk, make_pdf(*PDF_TEXTS), "slides.pdf", xhr=True)
    assert response.status_code == 202
    body = response.get_json()
    assert body["deck"]["version"] == 1 and body["poll_url"] == "/api/v1/talks/xhr/slides"
    assert body["deck"]["status"] in ("processing", "ready")


@pytest.mark.parametrize("xhr", [False, True])
def test_wrong_type_is_refused_with_415_and_nothing_kept(organiser_client, make_talk, db, xhr):
    talk = make_talk()
    db.session.commit()
    response = post_upload(organiser_client, talk, b"<html><body>hi</body></html>", "slides.pdf", xhr=xhr)
    assert response.status_code == 415
    message = response.get_json()["message"] if xhr else response.get_data(as_text=True)
    assert message and ("PDF" in message or "type" in message)
    assert db.session.query(SlideDeck).count() == 0


def test_missing_file_is_a_400(organiser_client, make_talk, db):
    talk = make_talk()
    db.session.commit()
    token = csrf_token(organiser_client.get(talk_page_url(talk)).get_data(as_text=True))
    response = organiser_client.post(upload_url(talk), data={"csrf_token": token, "licence": "CC-BY-4.0"})
    assert response.status_code == 400 and "Choose a file" in response.get_data(as_text=True)


def test_missing_csrf_token_is_refused(organiser_client, make_talk, make_pdf, db):
    talk = make_talk()
    db.session.commit()
    response = organiser_client.post(upload_url(talk), data={"file": (io.BytesIO(make_pdf(*PDF_TEXTS)), "a.pdf")},
                                     content_type="multipart/form-data")
    assert response.status_code == 400 and db.session.query(SlideDeck).count() == 0


def test_unknown_talk_is_a_404(organiser_client):
    assert organiser_client.get("/manage/talks/999999/slides").status_code == 404


@pytest.mark.parametrize("role, expected, location", [(None, 302, "/login?next="), ("speaker", 403, None),
                                                      ("admin", 302, "/edit#slides")])
def test_the_old_upload_page_sends_to_the_talks_page(client, make_user, login_as, make_talk, db, role,
                                                     expected, location):
    talk = make_talk()
    if role:
        login_as(make_user(role))
    db.session.commit()
    response = client.get(upload_url(talk))
    assert response.status_code == expected
    assert location is None or location in response.location


def _talk_documents_and_statements(db) -> tuple[dict, int]:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        documents = {doc["slug"]: doc for doc in iter_public_documents() if doc["type"] == "talk"}
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return documents, len(statements)


def test_every_talk_gets_its_own_ready_deck_in_a_fixed_number_of_queries(db, make_talk, make_deck):
    talks = [make_talk(slug=f"deck-{n}") for n in range(8)]
    make_deck(talks[0])
    make_deck(talks[1], texts=["Autre diaporama"])
    make_deck(talks[2], status=DeckStatus.PROCESSING)
    make_deck(talks[3], is_current=False)
    documents, few = _talk_documents_and_statements(db)
    assert documents["deck-0"]["slides"] == [{"page": n, "text": text} for n, text in enumerate(SLIDE_TEXTS, 1)]
    assert documents["deck-1"]["slides"] == [{"page": 1, "text": "Autre diaporama"}]
    assert [documents[f"deck-{n}"]["has_slides"] for n in range(8)] == [True, True] + [False] * 6
    for talk in talks[4:]:
        make_deck(talk, texts=[f"Page de {talk.slug}"])
    documents, more = _talk_documents_and_statements(db)
    assert documents["deck-7"]["slides"] == [{"page": 1, "text": "Page de deck-7"}]
    assert more == few  # not one query per talk
