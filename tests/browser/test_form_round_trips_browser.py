"""In Chromium: what an organiser types in Markdown opens again exactly as typed, and a link label
an organiser gave survives the speaker's own editor and shows on the public page."""
import pytest

from tests.browser.test_accounts_and_names_browser import PASSWORD, log_in, second_page

pytestmark = pytest.mark.browser
SUMMARY = "Deux ans de **blogs** & d'ateliers :\n\n- lecture *à voix haute*\n- code  \n  créatif\n"
LESSONS = "  Commencer petit.\n\n1. un blog\n2. puis <abbr title=\"deux\">2</abbr>\n"


def save(page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()


def test_markdown_typed_in_the_talk_form_opens_again_as_typed(page, live_server, db, make_user, make_event):
    make_event("Journée des blogs")
    make_user("organiser", email="orga@example.org", password=PASSWORD)
    db.session.commit()
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    log_in(page, "orga@example.org", "/manage/talks/new")
    page.get_by_label("Title", exact=True).fill("Des blogs thématiques")
    page.get_by_label("Summary (Markdown)").fill(SUMMARY)
    page.get_by_label("Lessons learned").fill(LESSONS)
    save(page)
    assert "Talk created as a draft." in page.inner_text("main")

    page.goto(page.url)  # open the form again
    assert page.get_by_label("Summary (Markdown)").input_value() == SUMMARY
    assert page.get_by_label("Lessons learned").input_value() == LESSONS
    save(page)  # and saved again unchanged, it stays the same
    page.goto(page.url)
    assert page.get_by_label("Summary (Markdown)").input_value() == SUMMARY
    assert page.problems.messages == [], page.problems.messages


def test_a_link_label_survives_the_speakers_editor(page, live_server, lea_and_organiser):
    speaker = lea_and_organiser
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    log_in(page, "orga@example.org", f"/manage/speakers/{speaker.id}/edit")
    page.get_by_label("Links, one per line: label | https://…").fill("Blog | https://blog.example.org")
    save(page)
    assert "Speaker saved." in page.inner_text("main")

    context, speaker_page = second_page(page, live_server)
    log_in(speaker_page, "lea@example.org", "/profile/lea-dupont")
    assert speaker_page.locator("#links-0-kind").input_value() == "other"
    assert speaker_page.locator("#links-0-label_text").input_value() == "Blog"
    save(speaker_page)
    assert "Your profile was saved." in speaker_page.inner_text("main")
    context.close()

    page.goto("/speakers/lea-dupont")
    link = page.locator("main").get_by_role("link", name="Blog", exact=True)
    assert link.get_attribute("href") == "https://blog.example.org"
    assert page.problems.messages == [], page.problems.messages
