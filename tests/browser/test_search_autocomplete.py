"""The search box's combobox in real Chromium: suggestions, keyboard choice, Escape, results page."""
from datetime import date

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed_day(db, make_event, make_talk, make_speaker, drain):
    event = make_event("Médiation numérique des savoirs", slug="mednum-2016",
                       start_date=date(2016, 10, 5))
    sophie = make_speaker("Sophie Perrusson", slug="sophie-perrusson")
    make_talk("Politique de médiation numérique des savoirs", slug="politique-mednum", event=event,
              speakers=[sophie], tags=["mednumsavoirs"], language="fr",
              summary="<p>Blogs thématiques et bilan chiffré.</p>")
    db.session.commit()
    drain()


def test_header_box_suggests_and_keyboard_picks_a_speaker(page, indexed_day):
    page.goto("/")
    box = page.locator("#site-search")
    box.press_sequentially("perru", delay=30)
    option = page.get_by_role("option", name="Sophie Perrusson")
    option.wait_for()
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    listbox_id = box.get_attribute("aria-controls")
    assert page.locator(f"#{listbox_id}").get_attribute("role") == "listbox"
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/speakers/sophie-perrusson")
    assert page.problems.messages == [], page.problems.messages


def test_search_page_box_picks_a_tag_and_submitting_shows_results(page, indexed_day):
    page.goto("/search?q=bilan")
    assert page.locator("main mark").first.inner_text().lower() == "bilan"
    assert page.get_by_role("link", name="Politique de médiation numérique des savoirs").is_visible()
    box = page.locator("#search-q")
    box.fill("")
    box.press_sequentially("#mednum", delay=30)
    page.get_by_role("option", name="#mednumsavoirs").wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/tags/mednumsavoirs")
    assert page.problems.messages == [], page.problems.messages


@pytest.fixture
def two_tagged_talks(db, make_event, make_talk, drain):
    event = make_event("Journée numérique", slug="journee-numerique", start_date=date(2017, 3, 1))
    make_talk("Bilan des ateliers numériques", slug="ateliers", event=event, language="fr",
              tags=["ateliers"], summary="<p>Un bilan des ateliers en bibliothèque.</p>")
    make_talk("Bilan de la médiation en ligne", slug="mediation-en-ligne", event=event,
              language="fr", tags=["mednumsavoirs"],
              summary="<p>Le bilan chiffré de deux ans de médiation.</p>")
    db.session.commit()
    drain()


def test_type_see_suggestions_submit_then_open_a_facet_and_see_highlights(page, two_tagged_talks):
    page.goto("/")
    box = page.locator("#site-search")
    box.press_sequentially("bila", delay=30)
    page.get_by_role("option", name="Bilan de la médiation en ligne").wait_for()
    box.fill("bilan")
    box.press("Enter")
    page.wait_for_url("**/search?q=bilan*")
    assert page.get_by_role("link", name="Bilan des ateliers numériques").is_visible()
    assert page.get_by_role("link", name="Bilan de la médiation en ligne").is_visible()

    page.get_by_role("link", name="#mednumsavoirs").first.click()
    page.wait_for_url("**tag=mednumsavoirs*")
    assert page.get_by_role("link", name="Bilan de la médiation en ligne").is_visible()
    assert page.get_by_role("link", name="Bilan des ateliers numériques").count() == 0
    marks = page.locator("main mark").all_inner_texts()
    assert marks and all(mark.lower() == "bilan" for mark in marks)
    assert page.problems.messages == [], page.problems.messages
