"""In Chromium: the workspace preview of a draft talk with slides shows the viewer and makes no
request that fails (it used to post the slide views of a deck that is not public: a 404)."""
import io

import pytest

from tests.browser.test_accounts_and_names_browser import PASSWORD, log_in
from webapp.models import Status
from webapp.slides.operations import attach_slides, process_pending_decks

pytestmark = pytest.mark.browser


def test_the_preview_of_a_draft_talk_with_slides_is_clean(page, live_server, db, make_user, make_talk,
                                                         make_pdf):
    make_user("organiser", email="orga@example.org", password=PASSWORD)
    talk = make_talk("Un brouillon illustré", status=Status.DRAFT)
    attach_slides(talk, io.BytesIO(make_pdf("Première", "Deuxième")), "brouillon.pdf")
    db.session.commit()
    process_pending_decks()
    db.session.commit()
    path = f"/manage/talks/{talk.id}/preview"
    log_in(page, "orga@example.org", path)
    page.wait_for_selector(".slide-viewer__thumb img")
    page.locator(".slide-viewer__thumb").nth(1).click()
    page.wait_for_timeout(300)  # the viewer would post the page view now
    assert page.problems.messages == [], page.problems.messages


def test_the_preview_of_a_draft_event_shows_its_draft_talks_marked(page, live_server, db, make_user,
                                                                  make_event, make_talk):
    make_user("organiser", email="orga@example.org", password=PASSWORD)
    event = make_event("Journée en préparation", status=Status.DRAFT)
    make_talk("Ouverture publiée", event=event, position=0)
    draft = make_talk("Atelier encore en brouillon", event=event, status=Status.DRAFT, position=1)
    db.session.commit()
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    path = f"/manage/events/{event.id}/preview"
    log_in(page, "orga@example.org", path)
    items = page.locator(".programme__item")
    assert items.count() == 2
    assert "Draft: not public" in items.nth(1).inner_text()
    assert "Draft" not in items.nth(0).inner_text()
    items.nth(1).get_by_role("link", name="Atelier encore en brouillon").click()
    page.wait_for_url(f"**/manage/talks/{draft.id}/preview")
    assert page.problems.messages == [], page.problems.messages
