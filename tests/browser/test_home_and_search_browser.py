"""In Chromium: the home page's ways into the archive lead to talks, and the search page's button
and sidebar read like the rest of the site."""
from datetime import date

import pytest

from webapp.models import Series

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]
REPORT = {"context": "<p>Une équipe formée au numérique.</p>", "lessons": "<p>Former paie.</p>"}
# What makes a button look like one: the search page's must match the site's `.button`.
BUTTON_LOOK = """element => {
  const style = getComputedStyle(element);
  return ["background-color", "color", "font-family", "font-size", "font-weight", "padding-top", "padding-left",
          "border-top-width", "border-top-style", "border-top-left-radius", "cursor"]
    .map(name => [name, style.getPropertyValue(name)]);
}"""


@pytest.fixture
def study_days(db, make_event, make_talk, make_speaker, drain):
    sophie = make_speaker("Sophie Perrusson", slug="sophie-perrusson", organisation="Médiathèques de Levallois")
    inet = make_event("Médiation numérique des savoirs", slug="mednum-2016", start_date=date(2016, 10, 5),
                      place="Strasbourg", host_organisation="INET", tags=["mednumsavoirs"])
    lyon = make_event("Fablabs en bibliothèque", slug="fablabs-2019", start_date=date(2019, 3, 1),
                      place="Lyon", host_organisation="Bibliothèque municipale de Lyon")
    series = Series(slug="mednumsavoirs", title="#mednumsavoirs", planned_count=6)
    make_talk("Politique de médiation numérique des savoirs", slug="politique-mednum", event=inet,
              speakers=[sophie], tags=["mednumsavoirs", "blogs"], series=series, series_position=1,
              language="fr", **REPORT)
    make_talk("Bilan chiffré des blogs", slug="bilan-blogs", event=inet, speakers=[sophie],
              tags=["mednumsavoirs"], series=series, series_position=2, language="fr")
    make_talk("Un fablab municipal", slug="fablab-municipal", event=lyon, tags=["fablab"], language="fr")
    db.session.commit()
    drain()


def result_count(page) -> int:
    return page.locator("ol.search-results > li").count()


def test_the_home_page_leads_into_the_archive(page, study_days):
    page.goto("/")
    for title_id in ("latest-events-title", "tag-cloud-title", "home-reading-title", "home-series-title",
                     "home-browse-title", "browse-years-title", "browse-places-title",
                     "browse-organisations-title"):
        assert page.locator(f"#{title_id}").is_visible(), title_id
    assert page.locator(".cloud li").filter(has_text="#mednumsavoirs").locator(".cloud__count").inner_text() == "2"
    examples = page.locator(".hero__examples a")
    assert examples.all_inner_texts() == ["#mednumsavoirs", "#blogs", "Sophie Perrusson"]
    assert page.problems.messages == [], page.problems.messages

    for number in range(examples.count()):
        page.goto("/")
        page.locator(".hero__examples a").nth(number).click()
        page.wait_for_url("**/search?q=*")
        assert result_count(page) >= 1, page.url
        assert page.problems.messages == [], page.problems.messages

    page.goto("/")
    page.locator("section[aria-labelledby=browse-places-title] a", has_text="Lyon").click()
    page.wait_for_url("**/search?q=*")
    assert page.locator("ol.search-results h2").all_inner_texts() == ["Un fablab municipal"]
    page.goto("/")
    page.locator("section[aria-labelledby=home-series-title] a").click()
    page.wait_for_url("**/talks/politique-mednum")
    assert page.problems.messages == [], page.problems.messages


def test_the_search_page_button_and_sidebar(page, study_days):
    page.goto("/search?q=Perrusson")
    assert result_count(page) == 2
    search_button = page.locator("form.search-form button[type=submit]")
    page.locator("main").evaluate("""main => {
      const reference = document.createElement("button");
      reference.className = "button";
      reference.id = "reference-button";
      reference.textContent = "Référence";
      main.append(reference);
    }""")
    assert search_button.evaluate(BUTTON_LOOK) == page.locator("#reference-button").evaluate(BUTTON_LOOK)
    headings = page.locator("aside.search-aside h2").all_inner_texts()
    assert "Sophie Perrusson" in page.locator("aside.search-aside").inner_text()
    assert headings.count("Intervenants") == 1, headings
    assert page.problems.messages == [], page.problems.messages


def test_a_search_no_talk_fully_matches_shows_the_talks_with_most_of_its_words(page, study_days):
    page.goto("/search?q=fablab")
    assert page.locator(".search-most-words").count() == 0
    page.locator("form.search-form input[name=q]").fill("fablab municipal wikipedia")
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url("**/search?q=fablab+municipal+wikipedia*")
    notice = page.locator(".search-most-words")
    assert notice.is_visible() and notice.inner_text().strip()
    assert notice.bounding_box()["y"] < page.locator("ol.search-results").bounding_box()["y"]
    assert page.locator("ol.search-results h2").all_inner_texts() == ["Un fablab municipal"]
    assert page.problems.messages == [], page.problems.messages
