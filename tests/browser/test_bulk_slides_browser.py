"""In Chromium, in French: an organiser drops a ZIP of three PDFs on the event's workspace page,
corrects the talk of the file whose name matched nothing, confirms, and finds each deck listed on
its talk's workspace page."""
import base64
import io
import zipfile

import pytest

from tests.browser.conftest import ACCOUNT_PASSWORD
from webapp.models import DeckStatus, SlideDeck

pytestmark = pytest.mark.browser

DROP_ZIP = """([name, data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "application/zip" }));
  return transfer;
}"""


@pytest.fixture
def event_with_talks(db, make_user, make_event, make_talk):
    make_user("organiser", email="orga@example.org", password=ACCOUNT_PASSWORD)
    event = make_event("Journée des bibliothèques", slug="journee")
    talks = [make_talk("Les grainothèques partagées", event=event, slug="grainotheques", position=1),
             make_talk("Fablab en médiathèque", event=event, slug="fablab", position=2),
             make_talk("Le jeu vidéo à la bibliothèque", event=event, slug="jeux", position=3)]
    db.session.commit()
    return event, talks


def zip_of_pdfs(make_pdf, names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, make_pdf(f"Diapositive de {name}"))
    return buffer.getvalue()


def log_in_through(page, path: str) -> None:
    page.goto(path)
    page.fill("#email", "orga@example.org")
    page.fill("#password", ACCOUNT_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"**{path}")


def test_drop_a_zip_correct_a_match_confirm_and_see_the_decks(page, db, event_with_talks, make_pdf):
    event, (seeds, fablab, games) = event_with_talks
    names = ["grainotheques.pdf", "Fablab en Médiathèque.pdf", "après-midi.pdf"]
    log_in_through(page, f"/manage/events/{event.id}/edit")
    assert page.get_attribute("html", "lang") == "fr"
    page.wait_for_selector("form[data-bulk-upload][data-enhanced]", state="attached")  # bulk_slides.js is wired
    transfer = page.evaluate_handle(DROP_ZIP, ["diapos.zip", base64.b64encode(zip_of_pdfs(make_pdf, names)).decode()])
    page.dispatch_event("form[data-bulk-upload] [data-drop-zone]", "drop", {"dataTransfer": transfer})
    assert page.inner_text("form[data-bulk-upload] [data-chosen-file]") == "diapos.zip"
    page.select_option("#bulk-licence", "CC-BY-4.0")
    page.click("form[data-bulk-upload] button[type=submit]")

    page.wait_for_url("**/slides/bulk/*")
    states = page.eval_on_selector_all("[data-bulk-file]", "rows => rows.map(row => row.dataset.bulkState)")
    assert states == ["matched", "matched", "unmatched"]
    assert page.input_value("#bulk-file-0-talk") == str(seeds.id)
    assert page.input_value("#bulk-file-1-talk") == str(fablab.id)
    assert page.input_value("#bulk-file-2-talk") == ""
    assert page.input_value("#bulk-file-2-licence") == "CC-BY-4.0"
    page.select_option("#bulk-file-2-talk", str(games.id))  # the correction
    page.click("form[data-bulk-preview] button[type=submit]")

    page.wait_for_selector("[data-bulk-report]")
    assert page.get_attribute("[data-bulk-added]", "data-bulk-added") == "3"
    decks = {deck.talk_id: deck for deck in db.session.query(SlideDeck)}
    assert {talk_id: deck.original_name for talk_id, deck in decks.items()} == {
        seeds.id: "grainotheques.pdf", fablab.id: "Fablab en Médiathèque.pdf", games.id: "après-midi.pdf"}
    assert all(deck.status == DeckStatus.PROCESSING for deck in decks.values())

    links = {talk.id: page.get_attribute(f"[data-bulk-report-row='{talk.id}'] a", "href")
             for talk in (seeds, fablab, games)}
    for talk, name in ((seeds, names[0]), (fablab, names[1]), (games, names[2])):
        assert links[talk.id] == f"/manage/talks/{talk.id}/edit#slides"
        page.goto(links[talk.id])
        row = page.locator("tr[data-deck-row]")
        assert row.count() == 1 and name in row.inner_text()
