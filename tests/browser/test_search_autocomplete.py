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
