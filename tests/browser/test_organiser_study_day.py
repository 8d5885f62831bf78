"""In Chromium: an organiser runs a study day end to end — creates the event and a talk, uploads the
deck, publishes both — and a visitor then finds the talk, its slides and its speaker."""
import pytest

from tests.browser.conftest import other_page
from tests.browser.test_slides_browser import drop_and_upload, log_in_through, process_uploaded_deck

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def organiser(db, make_user):
    user = make_user("organiser", email="organisatrice@example.org", password=PASSWORD)
    db.session.commit()
    return user


def save_form(page, fields: dict) -> None:
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.locator("form.edit-form button[type=submit]").click()
    page.wait_for_load_state()


def test_organiser_runs_a_study_day_end_to_end(page, live_server, organiser, make_pdf, db):
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    log_in_through(page, "/manage/events/new")
    save_form(page, {"Title": "Journée médiation numérique 2026", "First day": "2026-11-20",
                     "Place": "Médiathèque de Levallois", "Tags, separated by commas": "#MedNumSavoirs"})
    assert "Event created as a draft." in page.inner_text("main")

    page.goto("/manage/talks/new")
    save_form(page, {"Title": "Des blogs thématiques en bibliothèque",
                     "Speakers, one per line, in order": "Sophie Perrusson",
                     "Summary (Markdown)": "Deux ans de **blogs thématiques**."})
    page.get_by_role("link", name="Slide decks").click()
    drop_and_upload(page, make_pdf("Bienvenue", "Bilan chiffré des blogs", "Merci"))
    process_uploaded_deck(db)

    page.go_back()
    page.get_by_role("button", name="Publish").click()
    page.goto("/manage/events/")
    page.get_by_role("link", name="Journée médiation numérique 2026").first.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()

    public = other_page(page)  # checked with the organiser's, after the test
    visitor = public.context
    public.goto("/events/")
    public.get_by_role("link", name="Journée médiation numérique 2026").first.click()
    public.get_by_role("link", name="Des blogs thématiques en bibliothèque").first.click()
    assert public.locator(".slide-viewer__thumb img").count() == 3
    assert "blogs thématiques" in public.inner_text("main")
    public.locator("main").get_by_role("link", name="Sophie Perrusson").first.click()
    assert public.url.endswith("/speakers/sophie-perrusson")
    visitor.close()
    assert page.problems.messages == [], page.problems.messages
