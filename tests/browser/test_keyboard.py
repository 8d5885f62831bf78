"""Keyboard only, in Chromium: no mouse click anywhere. Tab, Enter, Space and the arrow keys reach
and work the search box's suggestions, a search filter, the slide viewer (which tells screen
readers each change of slide), a workspace form, and the demo's talk: a moment that search names,
its PeerTube player and its transcript."""
import io
from datetime import date
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ACCOUNT_PASSWORD
from tests.browser.csp import wait_until_true
from webapp.importing.demo_talk import DEMO_TALK_KEY, load_demo_talk
from webapp.models import Event, Talk
from webapp.slides.operations import attach_slides, process_pending_decks

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]
SLIDES = ["Bienvenue", "Les grainothèques partagées", "Merci"]
FOCUSED = "document.activeElement"


@pytest.fixture
def study_day(db, make_event, make_talk, make_speaker, make_user, make_pdf, drain):
    event = make_event("Médiation numérique des savoirs", slug="mednum-2016", start_date=date(2016, 10, 5))
    sophie = make_speaker("Sophie Perrusson", slug="sophie-perrusson")
    talk = make_talk("Les grainothèques partagées", slug="grainotheques", event=event, speakers=[sophie],
                     tags=["mednumsavoirs"], language="fr", summary="<p>Des semences en bibliothèque.</p>")
    make_talk("Des blogs en bibliothèque", slug="blogs", event=event, speakers=[make_speaker("Anne Martin")],
              tags=["blogs"], language="fr", summary="<p>Des blogs en bibliothèque.</p>")
    attach_slides(talk, io.BytesIO(make_pdf(*SLIDES)), "deck.pdf", None, "CC-BY-4.0")
    make_user("organiser", email="orga@example.org", password=ACCOUNT_PASSWORD)
    db.session.commit()
    process_pending_decks()
    drain()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"{FOCUSED}.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector} (last: {page.evaluate(f'{FOCUSED}.outerHTML')[:200]})")


def test_search_box_suggestion_chosen_with_arrow_keys_and_enter(page, study_day):
    page.goto("/")
    tab_to(page, "#site-search")
    page.keyboard.type("perru", delay=30)
    page.get_by_role("option", name="Sophie Perrusson").wait_for()
    page.keyboard.press("ArrowDown")
    active = page.evaluate(f"{FOCUSED}.getAttribute('aria-activedescendant')")
    assert page.evaluate(f"document.getElementById({active!r}).textContent").startswith("Sophie Perrusson")
    page.keyboard.press("Enter")
    page.wait_for_url("**/speakers/sophie-perrusson")
    assert page.problems.messages == [], page.problems.messages


def test_search_filter_opened_from_the_keyboard(page, study_day):
    page.goto("/")
    tab_to(page, "#site-search")
    page.keyboard.type("bibliothèque")
    page.keyboard.press("Enter")  # no suggestion chosen: the search is submitted
    page.wait_for_url("**/search?q=*")
    assert "2" in page.inner_text(".search-summary")
    tab_to(page, ".search-facet a[href*='tag=blogs']")
    page.keyboard.press("Enter")
    page.wait_for_url("**tag=blogs*")
    assert "1" in page.inner_text(".search-summary")
    assert page.locator(".search-facet a[aria-current='true']").count() == 1
    assert page.problems.messages == [], page.problems.messages


def test_slides_paged_through_from_the_keyboard_and_announced(page, study_day):
    page.goto("/talks/grainotheques")
    announcement = page.locator("[data-slide-announcement]")
    assert announcement.get_attribute("aria-live") == "polite" and announcement.inner_text() == ""
    tab_to(page, "[data-slide-stage]")
    page.keyboard.press("ArrowRight")
    wait_until_true(page, "document.querySelector('[data-slide-announcement]').textContent === 'Diapositive 2 sur 3'")
    assert page.url.endswith("#slide-2")
    assert "Les grainothèques partagées" in page.get_attribute("[data-slide-image]", "alt")
    page.keyboard.press("End")
    assert announcement.inner_text() == "Diapositive 3 sur 3"
    tab_to(page, "[data-slide-previous]")
    page.keyboard.press("Enter")
    assert announcement.inner_text() == "Diapositive 2 sur 3"
    page.keyboard.press("Space")
    assert announcement.inner_text() == "Diapositive 1 sur 3" and page.url.endswith("#slide-1")
    assert page.problems.messages == [], page.problems.messages


def test_an_event_created_with_the_keyboard(page, study_day, db):
    page.goto("/manage/events/new")  # the login form first, which comes back here
    tab_to(page, "#email")
    page.keyboard.type("orga@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(ACCOUNT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/manage/events/new")
    tab_to(page, "#title")
    page.keyboard.type("Journée des fablabs")
    tab_to(page, "#place")
    page.keyboard.type("Lyon")
    tab_to(page, "#show_view_counts")
    page.keyboard.press("Space")
    tab_to(page, ".edit-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/manage/events/*/edit")
    event = db.session.scalar(db.select(Event).where(Event.title == "Journée des fablabs"))
    assert event.place == "Lyon" and event.show_view_counts is True
    assert page.problems.messages == [], page.problems.messages


@pytest.fixture
def demo_talk(db, drain):
    """The demo's talk about Causeries: its PeerTube video, deck and French and English transcripts."""
    load_demo_talk()
    db.session.commit()
    process_pending_decks()
    drain()
    return db.session.scalar(db.select(Talk).where(Talk.import_key == DEMO_TALK_KEY))


def test_a_moment_found_by_search_then_the_video_and_its_transcript(page, demo_talk):
    asked: list[str] = []

    def fake_player(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>player</title>")

    page.route("https://framatube.org/**", fake_player)
    page.problems.allow("third-party request: https://framatube.org/")  # once the player is asked for
    page.goto("/")
    tab_to(page, "#site-search")
    page.keyboard.type("horodatage")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    tab_to(page, f".search-result a[href$='/talks/{demo_talk.slug}#t=91']")  # "Dit à 1:31"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/talks/{demo_talk.slug}#t=91")
    wait_until_true(page, "document.getElementById('t=91').classList.contains('is-current')")
    assert "horodatage" in page.inner_text('[id="t=91"]') and asked == []
    tab_to(page, "[data-video-player] [data-video-facade]")
    assert "PeerTube" in page.evaluate(f"{FOCUSED}.textContent")
    page.keyboard.press("Enter")
    frame = page.locator("[data-video-player] iframe")
    frame.wait_for()
    assert page.evaluate(f"{FOCUSED}.tagName") == "IFRAME"  # the player has the focus
    assert asked and urlsplit(asked[0]).path.startswith("/videos/embed/")
    tab_to(page, "a.transcript__time[href='#t=101']")
    page.keyboard.press("Enter")
    wait_until_true(page, "document.querySelector('[data-video-player] iframe').src.includes('start=101')")
    wait_until_true(page, "document.getElementById('t=101').classList.contains('is-current')")
    assert page.problems.unexpected() == [], page.problems.unexpected()
