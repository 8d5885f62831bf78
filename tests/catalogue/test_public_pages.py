"""The public pages show the right content, in the right order."""
import json
import re
from datetime import date, datetime, timezone

import pytest
from lxml import html as lxml_html

from webapp.models import Series, Status

pytestmark = pytest.mark.usefixtures("compiled_translations")
EN = {"Accept-Language": "en"}


def page(client, url, **kwargs):
    response = client.get(url, headers=EN, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return lxml_html.fromstring(response.get_data(as_text=True))


def texts(doc, xpath):
    return [" ".join(el.text_content().split()) for el in doc.xpath(xpath)]


def json_ld(doc):
    scripts = doc.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_home_lists_latest_events_newest_first_and_a_weighted_tag_cloud(db, client, make_event, make_talk):
    old = make_event("Journée 2015", start_date=date(2015, 3, 1))
    new = make_event("Journée 2019", start_date=date(2019, 3, 1))
    for _ in range(3):
        make_talk(event=new, tags=["mednumsavoirs"])
    make_talk(event=old, tags=["fablab"])
    db.session.commit()
    doc = page(client, "/")
    assert texts(doc, '//section[@class="latest-events"]//h3') == ["Journée 2019", "Journée 2015"]
    cloud = {a.text.strip(): a.get("class") for a in doc.xpath('//ul[@class="cloud"]//a')}
    assert cloud == {"#fablab": "cloud__tag cloud__tag--1", "#mednumsavoirs": "cloud__tag cloud__tag--5"}
    assert doc.xpath('//form[@role="search"][@action="/search"]//input[@id="site-search"][@name="q"]')


def test_events_are_grouped_by_year_newest_first(db, client, make_event):
    make_event("A 2016", start_date=date(2016, 10, 5))
    make_event("B 2018", start_date=date(2018, 1, 2))
    make_event("C 2016", start_date=date(2016, 1, 5))
    db.session.commit()
    doc = page(client, "/events/")
    assert texts(doc, '//section[@class="year-group"]/h2') == ["2018", "2016"]
    assert texts(doc, '//section[@class="year-group"]//h3') == ["B 2018", "A 2016", "C 2016"]


def test_events_list_is_paginated_with_rel_links(app, db, client, make_event):
    app.config["PAGE_SIZE"] = 2
    for day in range(1, 6):
        make_event(f"Day {day}", start_date=date(2020, 1, day))
    db.session.commit()
    first, last = page(client, "/events/"), page(client, "/events/?page=3")
    assert texts(first, "//h3") == ["Day 5", "Day 4"]
    assert texts(last, "//h3") == ["Day 1"]
    assert "Page 3 of 3" in texts(last, '//p[@class="pagination__status"]')
    assert first.xpath('//link[@rel="next"]/@href') == ["/events/?page=2"]
    assert last.xpath('//link[@rel="prev"]/@href') == ["/events/?page=2"]
    assert client.get("/events/?page=4").status_code == 404


def test_events_of_a_year(db, client, make_event):
    make_event("In 2016", start_date=date(2016, 5, 1))
    make_event("In 2017", start_date=date(2017, 5, 1))
    db.session.commit()
    doc = page(client, "/events/2016/")
    assert texts(doc, "//main//h2") == ["In 2016"]
    assert client.get("/events/2015/").status_code == 404
    assert client.get("/events/0/").status_code == 404


def test_event_page_shows_facts_and_programme_in_order(db, client, make_event, make_talk, make_speaker):
    event = make_event("Médiation numérique", place="Paris", host_organisation="INET",
                       description="<p>Une journée</p>", tags=["mednumsavoirs"])
    anne, sophie = make_speaker("Anne Martin"), make_speaker("Sophie Perrusson")
    make_talk("Second", event=event, position=2, speakers=[anne], tags=["zines", "archives"])
    make_talk("First", event=event, position=1, speakers=[sophie, anne], slug="first",
              starts_at=datetime(2016, 10, 5, 9, 30, tzinfo=timezone.utc))
    make_talk("Brouillon", event=event, position=3, speakers=[make_speaker("Cachée")], status=Status.DRAFT)
    db.session.commit()
    doc = page(client, f"/events/{event.slug}")
    assert texts(doc, "//h1") == ["Médiation numérique"]
    assert texts(doc, '//ol[@class="programme__list"]//h3') == ["First", "Second"]
    assert texts(doc, '//p[@class="programme__speakers"]') == ["Sophie Perrusson and Anne Martin", "Anne Martin"]
    assert doc.xpath('//ol[@class="programme__list"]//h3/a/@href')[0] == "/talks/first"
    assert doc.xpath('//p[@class="programme__speakers"]/a/@href')[0] == f"/speakers/{sophie.slug}"
    assert texts(doc, '//li[@class="programme__item"][2]//ul[@class="tag-list"]/li') == ["#archives", "#zines"]
    assert doc.xpath('//p[@class="programme__time"]/time/@datetime') == ["2016-10-05T09:30:00+00:00"]
    assert "INET" in texts(doc, '//dl[@class="facts"]')[0]
    assert json_ld(doc)["@type"] == "Event"
    assert json_ld(doc)["location"]["name"] == "Paris"
    assert [person["name"] for person in json_ld(doc)["performer"]] == ["Sophie Perrusson", "Anne Martin"]


def test_talk_page(db, client, make_event, make_talk, make_speaker):
    event = make_event("Journée", place="Paris")
    speaker = make_speaker("Sophie Perrusson")
    talk = make_talk("Politique de médiation", event=event, speakers=[speaker], tags=["MedNumSavoirs"],
                     summary="<p>Résumé</p>", results="<p>2 ans</p>", context="<p>Levallois</p>",
                     licence="CC-BY-SA-4.0", language="fr", video_url="https://videos.example/1")
    db.session.commit()
    doc = page(client, f"/talks/{talk.slug}")
    assert texts(doc, '//section[@class="report"]//h3') == ["Context", "Results"]
    assert doc.xpath('//a[@rel="license"]/@href') == ["https://creativecommons.org/licenses/by-sa/4.0/"]
    assert texts(doc, '//a[@rel="license"]') == ["CC BY-SA 4.0 — Attribution-ShareAlike"]
    assert texts(doc, '//figure[@data-citation-style="apa"]/p[@class="citation__text"]')[0].startswith(
        "Perrusson, S. (2016, October 5). Politique de médiation [Conference presentation]. Journée, Paris.")
    assert "@misc{perrusson2016politique," in doc.xpath("//pre//text()")[0]
    assert doc.xpath('//a[@href="https://videos.example/1"]')


def test_talk_json_ld_is_a_presentation_with_authors_and_event(db, client, make_talk, make_speaker):
    talk = make_talk("Titre </script><script>alert(1)</script>", speakers=[make_speaker("Anne Martin")],
                     licence="CC0-1.0", language="fr")
    db.session.commit()
    body = client.get(f"/talks/{talk.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    data = json_ld(lxml_html.fromstring(body))
    assert data["@type"] == "PresentationDigitalDocument"
    assert data["name"] == talk.title
    assert [a["name"] for a in data["author"]] == ["Anne Martin"]
    assert data["datePublished"] == "2016-10-05"
    assert data["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert data["inLanguage"] == "fr"
    assert data["isPartOf"]["@type"] == "Event"
    assert data["url"] == f"http://127.0.0.1:8000/talks/{talk.slug}"


def test_talk_page_has_social_meta_and_canonical(db, client, make_talk):
    talk = make_talk("Un titre", summary="<p>Un <b>résumé</b></p>")
    db.session.commit()
    doc = page(client, f"/talks/{talk.slug}")
    assert doc.xpath('//link[@rel="canonical"]/@href') == [f"http://127.0.0.1:8000/talks/{talk.slug}"]
    assert doc.xpath('//meta[@property="og:title"]/@content') == ["Un titre"]
    assert doc.xpath('//meta[@property="og:description"]/@content') == ["Un résumé"]
    # the talk's share card (webapp/sharing/, tests/sharing/test_share_cards.py)
    assert doc.xpath('//meta[@name="twitter:card"]/@content') == ["summary_large_image"]
    assert doc.xpath('//meta[@property="og:image"]/@content')[0].startswith(f"http://127.0.0.1:8000/talks/{talk.slug}/card-")


def test_talk_series_and_programme_neighbours(db, client, make_event, make_talk):
    event = make_event()
    series = Series(slug="mednum", title="#mednumsavoirs", planned_count=6)
    first = make_talk("One", event=event, position=1, series=series, series_position=1)
    second = make_talk("Two", event=event, position=2, series=series, series_position=2)
    third = make_talk("Three", event=event, position=3)
    db.session.commit()
    doc = page(client, f"/talks/{second.slug}")
    assert texts(doc, '//p[@class="page-header__kicker"]') == ["#mednumsavoirs — 2 of 6"]
    groups = doc.xpath('//div[@class="sequence__group"]')
    assert [g.xpath(".//a/@href") for g in groups] == [
        [f"/talks/{first.slug}"], [f"/talks/{first.slug}", f"/talks/{third.slug}"]]


def test_speakers_are_listed_family_name_first_with_letter_index(db, client, make_talk, make_speaker):
    people = [make_speaker(n) for n in ("Sophie Perrusson", "Anne Martin", "Jean Bernard")]
    make_talk(speakers=people)
    db.session.commit()
    doc = page(client, "/speakers/")
    assert texts(doc, '//ul[@class="speaker-list"]//h2') == ["Jean Bernard", "Anne Martin", "Sophie Perrusson"]
    assert texts(doc, '//nav[@class="letter-index"]//a') == ["All", "B", "M", "P"]
    assert texts(page(client, "/speakers/?letter=m"), '//ul[@class="speaker-list"]//h2') == ["Anne Martin"]
    assert texts(page(client, "/speakers/?letter=M"), '//ul[@class="speaker-list"]//h2') == ["Anne Martin"]


def test_speaker_page_lists_public_talks_newest_first(db, client, make_event, make_talk, make_speaker):
    speaker = make_speaker("Sophie Perrusson", headline="Directrice adjointe", organisation="Levallois",
                           links=[{"label": "Blog", "url": "https://blog.example"},
                                  {"label": "Bad", "url": "javascript:alert(1)"}])
    make_talk("Old", speakers=[speaker], event=make_event(start_date=date(2014, 1, 1)))
    make_talk("New", speakers=[speaker], event=make_event(start_date=date(2020, 1, 1)))
    db.session.commit()
    doc = page(client, f"/speakers/{speaker.slug}")
    assert texts(doc, '//ul[@class="talk-list"]//h3') == ["New", "Old"]
    assert doc.xpath('//ul[@class="link-list"]//a/@href') == ["https://blog.example"]
    data = json_ld(doc)
    assert data["@type"] == "Person" and data["jobTitle"] == "Directrice adjointe"
    assert data["sameAs"] == ["https://blog.example"]


def test_tags_index_and_tag_page(db, client, make_talk):
    make_talk("Alpha", tags=["mednumsavoirs", "fablab"])
    make_talk("Beta", tags=["mednumsavoirs"])
    db.session.commit()
    index = page(client, "/tags/")
    assert texts(index, '//ul[@class="tag-index"]/li') == ["#fablab 1 talk", "#mednumsavoirs 2 talks"]
    doc = page(client, "/tags/mednumsavoirs")
    assert texts(doc, "//h1") == ["#mednumsavoirs"]
    assert sorted(texts(doc, '//ul[@class="talk-list"]//h3')) == ["Alpha", "Beta"]
    assert json_ld(doc)["@type"] == "CollectionPage"


def test_tag_page_is_paginated(app, db, client, make_talk):
    app.config["PAGE_SIZE"] = 1
    make_talk(tags=["x"])
    make_talk(tags=["x"])
    db.session.commit()
    assert len(page(client, "/tags/x?page=2").xpath('//ul[@class="talk-list"]/li')) == 1
    assert client.get("/tags/x?page=3").status_code == 404


def test_tag_page_lists_its_newest_events_and_links_to_all_of_them(app, db, client, make_event, make_talk):
    from webapp.catalogue.queries import TAG_PAGE_EVENTS

    events = [make_event(f"Journée {n}", start_date=date(2000 + n, 5, 1)) for n in range(TAG_PAGE_EVENTS + 2)]
    for event in events:
        make_talk(event=event, tags=["fablab"])
    make_talk(event=events[0], tags=["rare"])
    db.session.commit()
    doc = page(client, "/tags/fablab")
    newest = [f"Journée {n}" for n in range(TAG_PAGE_EVENTS + 1, 1, -1)]
    assert [" ".join(a.text.split()) for a in doc.xpath('//section[@class="tag-events"]//li/a')] == newest
    assert texts(doc, '//section[@class="tag-events"]/p/a') == [f"All {TAG_PAGE_EVENTS + 2} events of this tag"]
    assert doc.xpath('//section[@class="tag-events"]/p/a/@href') == ["/events/?tag=fablab"]
    rare = page(client, "/tags/rare")
    assert texts(rare, '//section[@class="tag-events"]//li/a') == ["Journée 0"]
    assert not rare.xpath('//section[@class="tag-events"]/p/a')


def test_events_page_filtered_by_a_tag_is_paginated(app, db, client, make_event, make_talk):
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_talk(event=make_event(f"Journée {n}", start_date=date(2010 + n, 5, 1)), tags=["fablab"])
    make_talk(event=make_event("Autre", start_date=date(2020, 1, 1)), tags=["autre"])
    hidden = make_event("Brouillon", start_date=date(2021, 1, 1), status=Status.DRAFT)
    make_talk(event=hidden, tags=["fablab"])
    db.session.commit()
    first = page(client, "/events/?tag=fablab")
    assert texts(first, "//h1") == ["Events of the tag #fablab"]
    assert texts(first, '//p[@class="page-header__lead"]') == ["5 events with talks tagged #fablab, newest first."]
    assert texts(first, '//section[@class="year-group"]//h3') == ["Journée 4", "Journée 3"]
    assert first.xpath('//link[@rel="canonical"]/@href') == [app.config["SITE_URL"] + "/events/?tag=fablab"]
    assert first.xpath('//link[@rel="next"]/@href') == ["/events/?tag=fablab&page=2"]
    assert not first.xpath('//nav[@class="years-nav"]')
    last = page(client, "/events/?tag=%23FabLab&page=3")
    assert texts(last, '//section[@class="year-group"]//h3') == ["Journée 0"]
    assert client.get("/events/?tag=fablab&page=4").status_code == 404
    assert client.get("/events/?tag=inconnu", headers=EN).status_code == 404
    assert client.get("/events/?tag=a&tag=b", headers=EN).status_code == 400


def test_tags_index_is_paginated_with_counts_per_page(app, db, client, make_talk):
    app.config["PAGE_SIZE"] = 2
    make_talk(tags=["alpha", "beta", "gamma"])
    make_talk(tags=["gamma"])
    db.session.commit()
    assert texts(page(client, "/tags/"), '//ul[@class="tag-index"]/li') == ["#alpha 1 talk", "#beta 1 talk"]
    assert texts(page(client, "/tags/?page=2"), '//ul[@class="tag-index"]/li') == ["#gamma 2 talks"]
    assert client.get("/tags/?page=3").status_code == 404


def test_events_of_a_year_are_paginated(app, db, client, make_event):
    from datetime import date

    app.config["PAGE_SIZE"] = 1
    make_event("Printemps", start_date=date(2016, 4, 1))
    make_event("Automne", start_date=date(2016, 10, 5))
    db.session.commit()
    assert texts(page(client, "/events/2016/"), "//main//h2")[:1] == ["Automne"]
    assert "Printemps" in page(client, "/events/2016/?page=2").xpath("string(//main)")
    assert client.get("/events/2016/?page=3").status_code == 404
    assert client.get("/events/2015/").status_code == 404


def test_pages_are_accessible_landmarks(db, client, make_talk):
    talk = make_talk()
    db.session.commit()
    for url in ("/", "/events/", f"/talks/{talk.slug}", "/speakers/", "/tags/"):
        doc = page(client, url)
        assert doc.xpath("//header") and doc.xpath("//main[@id='content']") and doc.xpath("//footer")
        assert doc.xpath('//a[@class="skip-link"]/@href') == ["#content"]
        assert len(doc.xpath("//h1")) == 1
        assert doc.xpath('//label[@for="site-search"]')
        levels = [int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3]")]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (url, levels)


def test_navigation_marks_the_current_section(db, client, make_talk):
    talk = make_talk()
    db.session.commit()
    nav = page(client, "/speakers/").xpath('//nav[@class="site-nav"]//a[@aria-current]')
    assert [(a.text, a.get("aria-current")) for a in nav] == [("Speakers", "page")]
    nav = page(client, f"/talks/{talk.slug}").xpath('//nav[@class="site-nav"]//a[@aria-current]')
    assert [(a.text, a.get("aria-current")) for a in nav] == [("Events", "true")]


def test_no_n_plus_one_queries_on_the_tag_page(app, db, client, make_talk, make_speaker):
    from sqlalchemy import event as sa_event

    for _ in range(8):
        make_talk(tags=["x"], speakers=[make_speaker(), make_speaker()])
    db.session.commit()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page(client, "/tags/x")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) < 15, statements
    assert not any(re.search(r"WHERE speakers.id = \?", s) for s in statements)


def test_detail_pages_advertise_their_feeds(db, client, make_talk, make_speaker):
    talk = make_talk(tags=["x"], speakers=[make_speaker()])
    db.session.commit()
    expected = {
        f"/events/{talk.event.slug}": f"/events/{talk.event.slug}/feed.atom",
        f"/speakers/{talk.speakers[0].slug}": f"/speakers/{talk.speakers[0].slug}/feed.atom",
        "/tags/x": "/tags/x/feed.atom",
    }
    for url, feed in expected.items():
        links = page(client, url).xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
        assert feed in links and "/feeds/talks.atom" in links
    event_page = page(client, f"/events/{talk.event.slug}")
    assert event_page.xpath(f'//a[@href="/events/{talk.event.slug}/calendar.ics"]')
