"""A visitor browses home → event → talk → speaker → tag, in French then English, in real Chromium."""
from datetime import date
from urllib.parse import urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def study_day(db, make_event, make_talk, make_speaker):
    event = make_event("Médiation numérique des savoirs", slug="mednum-2016",
                       start_date=date(2016, 10, 5), place="INET, Strasbourg",
                       tags=["#MedNumSavoirs"])
    sophie = make_speaker("Sophie Perrusson", slug="sophie-perrusson",
                          headline="Directrice adjointe de l'action culturelle")
    make_talk("Politique de médiation numérique des savoirs", slug="politique-mednum",
              event=event, speakers=[sophie], tags=["mednumsavoirs", "bibliothèques"],
              summary="<p>Blogs thématiques et bilan chiffré.</p>", language="fr",
              given_on=date(2016, 10, 5), position=1)
    make_talk("Deuxième retour d'expérience", slug="deuxieme", event=event, language="fr",
              speakers=[make_speaker("Anne Martin")], position=2)
    db.session.commit()
    return event


def same_origin_links(page, origin: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return {h.split("#")[0] for h in hrefs if urlparse(h).netloc == urlparse(origin).netloc}


def assert_no_broken_links(page, origin: str, checked: set[str]) -> None:
    for url in sorted(same_origin_links(page, origin) - checked):
        checked.add(url)
        response = page.request.get(url, max_redirects=5)
        assert response.status < 400, f"broken link {url} on {page.url}: {response.status}"


def visit(page, origin, checked):
    assert page.problems.messages == [], page.problems.messages
    assert_no_broken_links(page, origin, checked)


def test_browse_the_archive_in_french_and_english(page, live_server, study_day):
    checked: set[str] = set()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    visit(page, live_server, checked)

    page.get_by_role("link", name="Médiation numérique des savoirs").first.click()
    assert page.url == urljoin(live_server, "/events/mednum-2016")
    assert page.get_by_role("heading", level=1).inner_text() == "Médiation numérique des savoirs"
    visit(page, live_server, checked)

    page.get_by_role("link", name="Politique de médiation numérique des savoirs").first.click()
    assert page.url.endswith("/talks/politique-mednum")
    assert "bilan chiffré" in page.locator("main").inner_text()
    visit(page, live_server, checked)

    page.locator("main").get_by_role("link", name="Sophie Perrusson").first.click()
    assert page.url.endswith("/speakers/sophie-perrusson")
    visit(page, live_server, checked)

    page.locator("main").get_by_role("link", name="#mednumsavoirs").first.click()
    assert page.url.endswith("/tags/mednumsavoirs")
    assert "Politique de médiation numérique des savoirs" in page.locator("main").inner_text()
    visit(page, live_server, checked)

    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/tags/mednumsavoirs")
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").is_visible()
    visit(page, live_server, checked)

    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("navigation", name="Principale").get_by_role(
        "link", name="Événements").is_visible()
    visit(page, live_server, checked)


def test_a_tag_of_many_events_leads_to_all_of_them(page, live_server, app, db, make_event, make_talk):
    """In French throughout: the links are checked last (checking the language links switches it)."""
    from webapp.catalogue.queries import TAG_PAGE_EVENTS

    count = TAG_PAGE_EVENTS + 3
    for n in range(count):
        make_talk(event=make_event(f"Rencontre {n:02d}", start_date=date(2000 + n, 6, 1)), tags=["fablab"])
    db.session.commit()
    app.config["PAGE_SIZE"] = 10
    page.goto("/tags/fablab")
    events = page.locator("section.tag-events li")
    assert events.count() == TAG_PAGE_EVENTS
    assert events.first.inner_text() == f"Rencontre {count - 1:02d} ({2000 + count - 1})"

    page.get_by_role("link", name=f"Les {count} événements de ce mot-dièse").click()
    assert page.url == urljoin(live_server, "/events/?tag=fablab")
    assert page.get_by_role("heading", level=1).inner_text() == "Événements du mot-dièse #fablab"
    assert page.locator("section.year-group h3").count() == 10

    page.get_by_role("link", name="Page suivante").click()
    assert page.url == urljoin(live_server, "/events/?tag=fablab&page=2")
    assert page.locator("section.year-group h3").all_inner_texts() == [f"Rencontre {n:02d}" for n in range(4, -1, -1)]
    page.get_by_role("link", name="#fablab").first.click()
    assert page.url.endswith("/tags/fablab")
    visit(page, live_server, set())
