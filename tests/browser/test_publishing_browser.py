"""In Chromium: an organiser publishes a draft event with its two ready draft talks in one step, and
a visitor then finds both on the event's page; on the list of talks, the organiser ticks talks
(all of the page at once), adds them a tag and publishes them (issue 14, item 5)."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import other_page
from tests.browser.test_form_checkboxes import log_in
from webapp.models import Status

pytestmark = pytest.mark.browser


@pytest.fixture
def programme(db, make_user, make_event, make_speaker, make_talk):
    """A draft event with two ready draft talks; a published event with two draft talks."""
    speaker = make_speaker("Sophie Perrusson")
    draft_event = make_event("Journée des fablabs", status=Status.DRAFT, slug="journee-des-fablabs")
    for title in ("Un fablab en médiathèque", "Imprimer en 3D avec les ados"):
        make_talk(title, event=draft_event, status=Status.DRAFT, speakers=[speaker])
    public_event = make_event("Rencontres numériques")
    for title in ("Des blogs thématiques", "Une grainothèque partagée"):
        make_talk(title, event=public_event, status=Status.DRAFT, speakers=[speaker])
    organiser = make_user("organiser")
    db.session.commit()
    return {"event": draft_event.id, "public_event": public_event.id, "organiser": organiser}


def expect_public_links(page, path: str, titles) -> None:
    """A visitor finds a link to each of these talks on the public page at path (their page's
    problems are checked with the organiser's, after the test)."""
    visitor = other_page(page)
    visitor.goto(path)
    main = visitor.locator("main")
    for title in titles:
        expect(main.get_by_role("link", name=title)).to_be_visible()
    visitor.context.close()


def test_publishing_a_draft_event_publishes_its_ready_talks_in_one_step(page, live_server, login_as,
                                                                          programme):
    log_in(page, live_server, login_as, programme["organiser"], f"/manage/events/{programme['event']}/edit")
    page.get_by_role("link", name="Publish…").click()
    boxes = page.get_by_role("group", name="Draft talks to publish with the event").get_by_role("checkbox")
    expect(boxes).to_have_count(2)
    for title in ("Un fablab en médiathèque", "Imprimer en 3D avec les ados"):
        expect(page.get_by_role("checkbox", name=f"{title} — Sophie Perrusson")).to_be_checked()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash--success")).to_have_text("Event published with 2 talks.")

    expect_public_links(page, "/events/journee-des-fablabs", ["Un fablab en médiathèque",
                                                             "Imprimer en 3D avec les ados"])


def test_bulk_tag_and_publish_on_the_list_of_talks(page, live_server, login_as, programme):
    drafts = f"/manage/talks/?status=draft&event={programme['public_event']}"
    log_in(page, live_server, login_as, programme["organiser"], drafts)
    select_all = page.get_by_role("checkbox", name="Select all the talks of this page")
    rows = page.locator("tbody input[type=checkbox]")
    expect(rows).to_have_count(2)
    select_all.check()
    for index in range(2):
        expect(rows.nth(index)).to_be_checked()
    rows.first.uncheck()
    assert select_all.evaluate("box => box.indeterminate")
    rows.first.check()
    expect(select_all).to_be_checked()
    page.get_by_label("Tag to add").fill("#Fablab")
    page.get_by_label("Tag to add").press("Enter")  # adds the tag, never publishes
    expect(page.locator(".flash--success")).to_have_text("Tag #fablab added to 2 talks.")
    assert page.url.endswith(drafts)

    page.get_by_role("checkbox", name="Select “Des blogs thématiques”").check()
    page.get_by_role("checkbox", name="Select “Une grainothèque partagée”").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash--success")).to_have_text("2 talks published.")
    expect(page.get_by_text("No talks match.")).to_be_visible()  # the list is still the drafts

    expect_public_links(page, "/tags/fablab", ["Des blogs thématiques", "Une grainothèque partagée"])
