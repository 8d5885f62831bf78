"""In Chromium: log in, drop a PDF on the upload form of the talk's workspace page and watch the
progress bar, see the new version listed at once and then ready, see the slides on the talk page,
page through them with the keyboard, then find a slide's word through search."""
import base64

import pytest

from tests.browser.csp import wait_until_true
from webapp.models import DeckStatus, SlideDeck

pytestmark = pytest.mark.browser

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
    page.wait_for_selector("form[data-slide-upload][data-enhanced]", state="attached")  # slides.js is wired
    transfer = page.evaluate_handle(DROP_FILE, ["journée.pdf", base64.b64encode(pdf).decode()])
    page.dispatch_event("[data-drop-zone]", "drop", {"dataTransfer": transfer})
    assert page.inner_text("[data-chosen-file]") == "journée.pdf"
    page.select_option("#deck-licence", "CC-BY-4.0")
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
    log_in_through(page, f"/manage/talks/{talk.id}/edit")
    drop_and_upload(page, make_pdf(*SLIDES))
    process_uploaded_deck(db)
    # The talk's page polls the API and shows the processed version without a manual reload.
    page.wait_for_selector('tr[data-deck-status="ready"]', timeout=30000)

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


def test_a_new_version_is_listed_at_once_on_the_talks_page_then_ready(page, organiser_and_talk, make_pdf, db):
    _, talk = organiser_and_talk
    log_in_through(page, f"/manage/talks/{talk.id}/edit")
    assert page.locator(".workspace-nav a").count() >= 5  # the workspace's tabs
    assert page.locator(".workspace-nav a[aria-current]").get_attribute("href") == "/manage/talks/"
    assert page.is_visible("#slides h2") and page.is_visible("[data-no-decks]")
    assert not page.is_visible("[data-deck-table]")
    # The licence is asked for: nothing is chosen beforehand, and the form will not go without one.
    assert page.eval_on_selector("#deck-licence", "select => [select.value, select.selectedIndex]") == ["", 0]
    page.set_input_files("#deck-file", files=[{"name": "bilan.pdf", "mimeType": "application/pdf",
                                               "buffer": make_pdf(*SLIDES)}])
    page.click("form[data-slide-upload] button[type=submit]")
    assert "is-error" in page.get_attribute("[data-upload-message]", "class")
    assert db.session.query(SlideDeck).count() == 0
    page.evaluate("window.sameDocument = true")  # gone if the page reloads

    page.select_option("#deck-licence", "CC-BY-SA-4.0")
    page.click("form[data-slide-upload] button[type=submit]")
    page.wait_for_selector("tr[data-deck-row]")
    row = page.locator("tr[data-deck-row]")
    assert row.get_attribute("data-deck-status") == "processing" and row.get_attribute("aria-current") == "true"
    assert page.is_visible("tr[data-deck-row] [data-deck-progress]")
    assert not page.is_visible("[data-no-decks]") and page.is_visible("[data-deck-table]")
    assert "CC BY-SA 4.0" in row.inner_text() and "bilan.pdf" in row.inner_text()
    assert page.eval_on_selector("#deck-licence", "select => select.value") == ""  # asked again next time

    process_uploaded_deck(db)
    page.wait_for_selector('tr[data-deck-row][data-deck-status="ready"]', timeout=30000)
    assert not page.is_visible("tr[data-deck-row] [data-deck-progress]")
    assert "3" in page.inner_text("tr[data-deck-row] [data-deck-status-text]")
    assert page.is_visible("tr[data-deck-row] [data-deck-view]")
    assert page.evaluate("window.sameDocument") is True
    page.click("tr[data-deck-row] [data-deck-view]")
    page.wait_for_url("**/talks/semences#slides")
    assert page.locator(".slide-viewer__thumb").count() == 3
    assert page.problems.messages == []
