"""In Chromium: log in, drop a PDF on the upload form and watch the progress bar, see the slides on
the talk page, page through them with the keyboard, then find a slide's word through search."""
import base64

import pytest

from tests.browser.csp import wait_until_true
from webapp.models import DeckStatus, SlideDeck

PASSWORD = "correct horse battery"
SLIDES = ["Bienvenue à la journée", "Les grainothèques partagées", "Merci de votre attention"]

DROP_FILE = """([name, data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
  return transfer;
}"""


@pytest.fixture
def organiser_and_talk(db, make_user, make_talk):
    user = make_user("organiser", email="organisatrice@example.org", password=PASSWORD)
    talk = make_talk(slug="semences", title="Semences et bibliothèques")
    db.session.commit()
    return user, talk


def log_in_through(page, path: str) -> None:
    page.goto(path)  # the workspace sends anonymous people to the login form, then back
    page.fill("#email", "organisatrice@example.org")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"**{path}")


def drop_and_upload(page, pdf: bytes) -> None:
    transfer = page.evaluate_handle(DROP_FILE, ["journée.pdf", base64.b64encode(pdf).decode()])
    page.dispatch_event("[data-drop-zone]", "drop", {"dataTransfer": transfer})
    assert page.inner_text("[data-chosen-file]") == "journée.pdf"
    page.click("form[data-slide-upload] button[type=submit]")
    wait_until_true(page, "document.querySelector('[data-upload-bar]').value === 100")
    assert page.inner_text("[data-upload-percent]") == "100 %"
    wait_until_true(page, "document.querySelector('[data-upload-message]').textContent.includes('.')")


def process_uploaded_deck(db) -> SlideDeck:
    from webapp.slides.operations import process_pending_decks

    process_pending_decks()
    db.session.commit()
    deck = db.session.query(SlideDeck).one()
    assert deck.status == DeckStatus.READY and deck.page_count == 3
    return deck


def current_slide(page) -> str:
    return page.inner_text("[data-slide-current]")


def test_upload_view_page_through_and_find_a_slide(page, organiser_and_talk, make_pdf, db, drain):
    _, talk = organiser_and_talk
    manage_path = f"/manage/talks/{talk.id}/slides"
    log_in_through(page, manage_path)
    drop_and_upload(page, make_pdf(*SLIDES))
    process_uploaded_deck(db)
    # The upload page polls the API and shows the processed version without a manual reload.
    page.wait_for_selector('td[data-deck-status="ready"]', timeout=30000)

    page.goto("/talks/semences")
    wait_until_true(
        page, "[...document.querySelectorAll('.slide-viewer__thumb img')]"
        ".every(img => img.complete && img.naturalWidth > 0)")
    assert page.locator(".slide-viewer__thumb img").count() == 3
    assert current_slide(page) == "1"
    page.focus("[data-slide-stage]")
    page.keyboard.press("ArrowRight")
    assert current_slide(page) == "2" and page.url.endswith("#slide-2")
    page.keyboard.press("End")
    assert current_slide(page) == "3" and page.url.endswith("#slide-3")
    page.keyboard.press("Home")
    assert current_slide(page) == "1" and page.url.endswith("#slide-1")

    drain()
    page.goto("/search?q=grainothèques")
    page.click(".search-result__slide a")
    page.wait_for_url("**/talks/semences#slide-2")
    wait_until_true(page, "document.querySelector('[data-slide-current]').textContent === '2'")
    assert "/pages/2/" in page.get_attribute("[data-slide-image]", "src")
    assert page.problems.messages == []
