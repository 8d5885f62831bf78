"""In Chromium: an organiser builds a curated path in /manage (find and add talks, move one up,
note it, publish), then a visitor follows it from a talk page with next and previous."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import other_page
from tests.browser.test_form_checkboxes import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def talks(db, make_user, make_talk):
    titles = ("Des blogs thématiques", "Une grainothèque partagée", "Un fablab en médiathèque")
    made = {title: make_talk(title) for title in titles}
    organiser = make_user("organiser")
    db.session.commit()
    return {"organiser": organiser, **{title: talk.slug for title, talk in made.items()}}


def add_talk(page, title: str) -> None:
    page.get_by_label("Find a talk by its title").fill(title)
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("button", name=f"Add “{title}”").click()
    expect(page.locator(".flash--success")).to_have_text("Talk added to the path.")


def test_an_organiser_builds_a_path_and_a_visitor_follows_it(page, live_server, login_as, talks):
    log_in(page, live_server, login_as, talks["organiser"], "/manage/paths/new")
    page.get_by_label("Title").fill("Parcours : médiation numérique des savoirs")
    page.get_by_label("Introduction").fill("Trois retours d'expérience, **dans l'ordre**.")
    page.get_by_role("button", name="Save").click()
    for title in ("Des blogs thématiques", "Un fablab en médiathèque", "Une grainothèque partagée"):
        add_talk(page, title)
    page.locator("[data-path-item='%s']" % talks["Une grainothèque partagée"]).get_by_role(
        "button", name="Move up").click()
    expect(page.locator(".flash--success")).to_have_text("Order saved.")
    page.get_by_label("Note about “Une grainothèque partagée”").fill("Une idée simple à reprendre.")
    page.locator("[data-path-item='%s']" % talks["Une grainothèque partagée"]).get_by_role(
        "button", name="Save the note").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flash--success")).to_have_text("Path published.")

    visitor = other_page(page)
    visitor.goto(f"/talks/{talks['Une grainothèque partagée']}")
    paths = visitor.locator("[data-talk-paths]")
    expect(paths.get_by_role("link", name="Parcours : médiation numérique des savoirs")).to_be_visible()
    paths.get_by_role("link", name="Un fablab en médiathèque").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Un fablab en médiathèque")
    visitor.locator("[data-talk-paths]").get_by_role("link", name="Une grainothèque partagée").click()
    visitor.locator("[data-talk-paths]").get_by_role("link", name="Des blogs thématiques").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Des blogs thématiques")
    visitor.locator("[data-talk-paths]").get_by_role("link", name="Parcours : médiation numérique des savoirs").click()
    expect(visitor.locator("main")).to_contain_text("Une idée simple à reprendre.")
    visitor.context.close()
