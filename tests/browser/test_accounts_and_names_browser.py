"""In Chromium: an admin ends an organiser's sessions from /manage/accounts and the organiser's
browser is logged out; a speaker adds a spelling of her name, which waits until an organiser
confirms it on the speaker's workspace page."""
import pytest

from tests.browser.conftest import ACCOUNT_PASSWORD as PASSWORD
from tests.browser.conftest import other_page

pytestmark = pytest.mark.browser


def log_in(page, email: str, path: str) -> None:
    page.goto(path)  # anonymous: the login form, then back
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"**{path}")


def second_page(page, live_server):
    other = other_page(page)
    other.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    return other.context, other


def test_an_admin_ends_all_sessions_of_an_organiser(page, live_server, db, make_user):
    make_user("admin", email="admin@example.org", password=PASSWORD)
    make_user("organiser", email="orga@example.org", password=PASSWORD)
    db.session.commit()
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    context, organiser = second_page(page, live_server)
    log_in(organiser, "orga@example.org", "/manage/talks/")
    log_in(page, "admin@example.org", "/manage/accounts")
    row = page.get_by_role("row").filter(has_text="orga@example.org")
    row.get_by_role("button", name="End all sessions").click()
    page.wait_for_load_state()
    assert "1 session(s) of orga@example.org ended." in page.inner_text("main")
    organiser.goto("/manage/talks/")
    assert "/login" in organiser.url
    context.close()
    assert page.problems.messages == [], page.problems.messages


def test_a_spelling_a_speaker_adds_waits_for_an_organiser(page, live_server, lea_and_organiser):
    speaker = lea_and_organiser
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    log_in(page, "lea@example.org", "/profile/lea-dupont")
    page.get_by_label("Other spellings of your name, one per line").fill("Léa Martin")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Waiting for an organiser to confirm" in page.inner_text("main")

    context, organiser = second_page(page, live_server)
    log_in(organiser, "orga@example.org", f"/manage/speakers/{speaker.id}/edit")
    assert "Léa Martin" in organiser.inner_text(".pending-names")
    organiser.get_by_role("button", name="Confirm these names").click()
    organiser.wait_for_load_state()
    assert "The speaker's names are confirmed." in organiser.inner_text("main")
    assert organiser.locator(".pending-names").count() == 0
    context.close()
    page.goto("/speakers/lea-dupont")
    assert "Léa Martin" in page.inner_text("main")  # shown publicly once confirmed
    assert page.problems.messages == [], page.problems.messages
