"""The home page shows what the archive holds: recent events, tags with their real counts, series,
experience reports to read, ways to browse by year, place and organisation, and search examples
that find talks. Its number of queries does not grow with the archive."""
import io
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html
from sqlalchemy import event as sa_event

from webapp.models import Series, Status
from webapp.slides.operations import attach_slides, process_pending_decks

pytestmark = pytest.mark.usefixtures("compiled_translations")
EN = {"Accept-Language": "en"}
REPORT = {"context": "<p>Une équipe formée.</p>", "lessons": "<p>Former paie.</p>"}


def home(client):
    response = client.get("/", headers=EN)
    assert response.status_code == 200
    return lxml_html.fromstring(response.get_data(as_text=True))


def texts(doc, xpath):
    return [" ".join(element.text_content().split()) for element in doc.xpath(xpath)]


def section(doc, title_id):
    [found] = doc.xpath(f'//section[@aria-labelledby="{title_id}"]')
    return found


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker):
    """Two study days in different places and years, talks on several tags, a series, drafts."""
    inet = make_event("Médiation numérique des savoirs", slug="mednum-2016", start_date=date(2016, 10, 5),
                      place="Strasbourg", host_organisation="INET")
    lyon = make_event("Fablabs en bibliothèque", slug="fablabs-2019", start_date=date(2019, 3, 1),
                      place="Lyon", host_organisation="Bibliothèque municipale de Lyon")
    hidden = make_event("Journée en préparation", status=Status.DRAFT, start_date=date(2021, 1, 1),
                        place="Paris", host_organisation="Enssib")
    sophie = make_speaker("Sophie Perrusson")
    series = Series(slug="mednumsavoirs", title="#mednumsavoirs", planned_count=6)
    make_talk("Brouillon de la série", event=inet, status=Status.DRAFT, series=series, series_position=1,
              tags=["mednumsavoirs", "fablab"], **REPORT)
    make_talk("Blogs thématiques", event=inet, speakers=[sophie], series=series, series_position=2,
              tags=["mednumsavoirs", "blogs"], given_on=date(2016, 10, 5), **REPORT)
    make_talk("Bilan chiffré", event=inet, speakers=[sophie], series=series, series_position=3,
              tags=["mednumsavoirs"])
    make_talk("Un fablab municipal", event=lyon, tags=["mednumsavoirs", "fablab"], given_on=date(2019, 3, 1))
    make_talk("Caché", event=hidden, tags=["fablab", "secret"], **REPORT)
    db.session.commit()
    return {"inet": inet, "lyon": lyon, "series": series}


def test_every_section_of_the_home_page(client, archive):
    doc = home(client)
    titles = texts(doc, "//main//h2")
    assert titles == ["Latest events", "The most used tags", "Experience reports to read", "Talk series",
                      "Browse the archive"]
    assert texts(section(doc, "latest-events-title"), ".//h3") == ["Fablabs en bibliothèque",
                                                                   "Médiation numérique des savoirs"]
    assert texts(section(doc, "browse-years-title"), ".//a") == ["2019 (1)", "2016 (1)"]
    assert section(doc, "browse-years-title").xpath(".//a/@href") == ["/events/2019/", "/events/2016/"]


def test_tags_show_how_many_public_talks_they_hold(client, archive):
    cloud = section(home(client), "tag-cloud-title")
    counts = {a.text.strip(): a.getparent().xpath('string(span[@class="cloud__count"])').strip()
              for a in cloud.xpath('.//a[starts-with(@class, "cloud__tag")]')}
    # Drafts and the talks of a draft event count nowhere: #secret is not shown at all.
    assert counts == {"#mednumsavoirs": "3", "#fablab": "1", "#blogs": "1"}
    assert texts(cloud, './/a[@href="/tags/mednumsavoirs"]/span') == ["(3 talks)"]


def test_series_lead_to_their_first_public_talk(client, archive):
    series = section(home(client), "home-series-title")
    assert texts(series, ".//li") == ["#mednumsavoirs (2 of 6 talks published)"]
    assert series.xpath(".//a/@href") == ["/talks/" + archive["series"].talks[1].slug]


def test_reading_lists_written_reports_those_with_slides_first(db, client, archive, make_talk, make_pdf):
    with_slides = make_talk("Bibliothèque et tiers-lieu", event=archive["lyon"], **REPORT)
    attach_slides(with_slides, io.BytesIO(make_pdf("Le tiers-lieu")), "tiers-lieu.pdf")
    db.session.commit()
    process_pending_decks()
    db.session.commit()
    reading = section(home(client), "home-reading-title")
    assert texts(reading, ".//h3") == ["Bibliothèque et tiers-lieu", "Blogs thématiques"]
    assert texts(reading, './/p[@class="talk-card__slides"]') == ["With slides"]


def test_browse_by_place_and_organisation_searches_the_talks_of_those_events(client, archive, drain):
    drain()
    doc = home(client)
    places = section(doc, "browse-places-title")
    assert texts(places, ".//li") == ["Strasbourg (2 talks)", "Lyon (1 talk)"]  # Paris's event is a draft
    organisations = section(doc, "browse-organisations-title")
    assert texts(organisations, ".//li") == ["INET (2 talks)", "Bibliothèque municipale de Lyon (1 talk)"]
    for link, titles in ((places.xpath(".//a")[0], {"Blogs thématiques", "Bilan chiffré"}),
                         (organisations.xpath(".//a")[1], {"Un fablab municipal"})):
        query = parse_qs(urlsplit(link.get("href")).query)["q"][0]
        found = client.get("/api/v1/search", query_string={"q": query}).get_json()
        assert {item["title"] for item in found["results"]} == titles, query


def search_examples(doc) -> list[str]:
    links = doc.xpath('//div[@class="hero__examples"]//a')
    queries = [parse_qs(urlsplit(link.get("href")).query)["q"][0] for link in links]
    assert [link.text for link in links] == queries
    return queries


def test_search_examples_come_from_the_archive(client, archive):
    doc = home(client)
    assert search_examples(doc) == ["#mednumsavoirs", "#blogs", "Sophie Perrusson"]
    assert doc.xpath('//input[@id="home-search"]/@placeholder') == ["e.g. #mednumsavoirs, #blogs, Sophie Perrusson"]


def test_every_search_example_finds_talks_in_the_demo_archive(client, demo_archive, drain):
    drain()  # a copy of what `flask demo load` left: its index, and whatever it left queued
    doc = home(client)
    examples = search_examples(doc)
    assert len(examples) == 3
    placeholder = doc.xpath('//input[@id="home-search"]/@placeholder')[0]
    assert placeholder == "e.g. " + ", ".join(examples)
    browse = doc.xpath('//section[@class="home-browse"]//ul[@class="link-list"]//a/@href')
    queries = examples + [parse_qs(urlsplit(href).query)["q"][0] for href in browse]
    for query in queries:
        assert client.get("/api/v1/search", query_string={"q": query}).get_json()["total"] >= 1, query


def test_an_empty_archive_says_so(client, db):
    doc = home(client)
    assert texts(doc, "//main//h2") == ["Latest events", "The most used tags"]
    assert "No event has been published yet." in texts(doc, "//main//p")
    assert doc.xpath('//input[@id="home-search"]/@placeholder') == ["Talks, speakers, tags…"]
    assert not doc.xpath('//div[@class="hero__examples"]')


def statements_of_home(db, client) -> list[str]:
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        home(client)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    return statements


def test_the_home_page_runs_as_many_queries_however_large_the_archive(db, client, archive, make_event, make_talk,
                                                                      make_speaker):
    before = statements_of_home(db, client)
    for n in range(12):
        event = make_event(f"Journée {n}", start_date=date(2010 + n, 5, 1), place=f"Ville {n}",
                           host_organisation=f"Organisme {n}", tags=[f"theme-{n}"])
        series = Series(slug=f"serie-{n}", title=f"Série {n}")
        for position in (1, 2):
            make_talk(event=event, tags=[f"theme-{n}", "mednumsavoirs"], series=series, series_position=position,
                      speakers=[make_speaker(), make_speaker()], **REPORT)
    db.session.commit()
    after = statements_of_home(db, client)
    assert len(after) == len(before), "\n".join(after)
    assert len(after) <= 20, len(after)
    assert not any(re.search(r"WHERE (speakers|tags|events)\.id = (\?|%\()", s) for s in after)
