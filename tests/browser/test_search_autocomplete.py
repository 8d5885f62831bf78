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


@pytest.fixture
def python_talk(db, make_event, make_talk, drain):
    event = make_event("PyCon FR", slug="pycon-fr", start_date=date(2018, 10, 4))
    make_talk("Python partout en bibliothèque", slug="python-partout", event=event, tags=["python"],
              language="fr", summary="<p>Des ateliers Python.</p>")
    db.session.commit()
    drain()


# Where each box of a page lives, and what comes below it: none of them may move while the list shows.
BOXES = {
    "#site-search": ("/", [".site-search button", ".site-header", "main"]),
    "#home-search": ("/", [".hero__search button", ".hero", ".totals", ".home-columns"]),
}
BOXES_OF = """selectors => selectors.map(selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return [selector, Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height)];
})"""
# The option whose centre is drawn there: the list is painted over the page, not under it.
OPTION_ON_TOP = """option => {
  const box = option.getBoundingClientRect();
  const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return option.contains(top);
}"""


def show_suggestions(page, selector: str, typed: str, option_name: str):
    box = page.locator(selector)
    box.press_sequentially(typed, delay=20)
    option = page.get_by_role("option", name=option_name)
    option.wait_for()
    return box, option


def kinds_and_labels(page, selector: str) -> list[tuple[str, str, bool]]:
    """(label, kind, is the kind apart from the label) of each option of the box's list."""
    listbox = page.locator("#" + page.locator(selector).get_attribute("aria-controls"))
    return listbox.get_by_role("option").evaluate_all("""options => options.map(option => {
      const label = option.querySelector('.suggest-option__label');
      const kind = option.querySelector('.suggest-option__type');
      const apart = kind.getBoundingClientRect().left >= label.getBoundingClientRect().right + 8;
      return [label.textContent, kind.textContent, apart];
    })""")


@pytest.mark.usefixtures("compiled_translations")
@pytest.mark.parametrize("selector", list(BOXES))
def test_suggestions_of_every_box_float_over_the_page_in_its_language(page, live_server, python_talk,
                                                                      selector):
    path, below = BOXES[selector]
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.goto(path)
    before = page.evaluate(BOXES_OF, below)
    box, option = show_suggestions(page, selector, "pyth", "Python partout en bibliothèque")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.evaluate("list => getComputedStyle(list).position") == "absolute"
    assert listbox.evaluate("list => getComputedStyle(list).listStyleType") == "none"
    assert option.evaluate(OPTION_ON_TOP)
    assert page.evaluate(BOXES_OF, below) == before
    assert sorted(kinds_and_labels(page, selector)) == [
        ["#python", "Tag", True], ["Python partout en bibliothèque", "Talk", True]]

    box.press("ArrowDown")
    first = page.locator("#" + box.get_attribute("aria-activedescendant"))
    assert first.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    box.press("ArrowDown")
    chosen = page.locator("#" + box.get_attribute("aria-activedescendant")).locator(".suggest-option__label")
    target = {"#python": "**/tags/python", "Python partout en bibliothèque": "**/talks/python-partout"}
    expected_url = target[chosen.inner_text()]
    box.press("Enter")
    page.wait_for_url(expected_url)

    page.context.add_cookies([{"name": "lang", "value": "fr", "url": live_server}])
    page.goto(path)
    show_suggestions(page, selector, "pyth", "Python partout en bibliothèque")
    assert sorted(kinds_and_labels(page, selector)) == [
        ["#python", "Mot-dièse", True], ["Python partout en bibliothèque", "Intervention", True]]
    assert page.problems.messages == [], page.problems.messages
