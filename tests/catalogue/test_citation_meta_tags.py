"""The Highwire Press (citation_*) and Dublin Core (DC.*) tags of the talk and event pages, read
back with html.parser and checked against the rows."""
from tests.catalogue import citation_fixtures
from tests.catalogue.citation_fixtures import HARD_TITLE, MetaTags

hard_talk = citation_fixtures.hard_talk  # the fixture

SITE = "http://127.0.0.1:8000"
ONE_LINE_TITLE = " ".join(HARD_TITLE.split())
AUTHORS = ["Perrusson, Sophie", "de la Fontaine, Jean-Pierre", "van Beethoven, Ludwig"]


def test_the_talk_page_names_every_citable_field(client, hard_talk):
    tags = MetaTags(client.get("/talks/mediation").get_data(as_text=True))
    assert tags.one("citation_title") == ONE_LINE_TITLE == tags.one("DC.title")
    assert tags.all("citation_author") == AUTHORS == tags.all("DC.creator")
    assert tags.one("citation_publication_date") == "2016/10/06" == tags.one("citation_date")
    assert tags.one("DC.date") == "2016-10-06"
    assert tags.one("citation_conference_title") == "Journées {100 %} & « Bib »"
    assert tags.one("citation_language") == "fr" == tags.one("DC.language")
    names = [tag.name for tag in hard_talk.tags]  # in the database's order of names
    assert sorted(names) == ["mednumsavoirs", "médiation"]
    assert tags.one("citation_keywords") == "; ".join(names)
    assert tags.all("DC.subject") == names
    assert tags.one("citation_pdf_url").startswith(f"{SITE}/slides/")
    assert tags.one("citation_pdf_url").endswith("/bilan.pdf")
    assert tags.one("citation_public_url") == f"{SITE}/talks/mediation" == tags.one("citation_abstract_html_url")
    assert tags.one("DC.identifier") == f"{SITE}/talks/mediation"
    assert tags.one("DC.publisher") == "Causeries"
    assert tags.one("DC.rights") == "https://creativecommons.org/licenses/by/4.0/"
    assert tags.one("DC.type") == "Text"
    assert tags.one("DC.relation") == f"{SITE}/events/journees"
    assert ("schema.DC", "http://purl.org/dc/elements/1.1/") in tags.links


def test_absolute_urls_come_from_site_url_not_the_host_header(app, client, hard_talk):
    app.config["SITE_URL"] = "https://archive.example.org"
    app.config["TRUSTED_HOSTS"] = ["archive.example.org", "localhost"]
    tags = MetaTags(client.get("/talks/mediation", headers={"Host": "localhost"}).get_data(as_text=True))
    assert tags.one("citation_public_url") == "https://archive.example.org/talks/mediation"
    assert tags.one("citation_pdf_url").startswith("https://archive.example.org/slides/")


def test_a_talk_without_deck_language_or_tags_leaves_those_tags_out(client, db, make_talk):
    make_talk("Simple", slug="simple")
    db.session.commit()
    tags = MetaTags(client.get("/talks/simple").get_data(as_text=True))
    names = {name for name, _ in tags.pairs}
    left_out = {"citation_pdf_url", "citation_language", "citation_keywords", "citation_author", "DC.rights"}
    assert left_out & names == set()
    assert tags.one("citation_title") == "Simple"


def test_the_event_page_names_the_event(client, hard_talk):
    tags = MetaTags(client.get("/events/journees").get_data(as_text=True))
    assert tags.one("citation_title") == "Journées {100 %} & « Bib »" == tags.one("DC.title")
    assert tags.one("citation_conference_title") == "Journées {100 %} & « Bib »"
    assert tags.one("citation_publication_date") == "2016/10/05"
    assert tags.one("DC.date") == "2016-10-05/2016-10-06"
    assert tags.one("DC.coverage") == "Saint-Étienne"
    assert tags.one("DC.creator") == "Médiathèque & Co" == tags.one("citation_publisher")
    assert tags.all("DC.subject") == [tag.name for tag in hard_talk.event.tags] == ["fablab", "mednumsavoirs"]
    assert tags.one("DC.identifier") == f"{SITE}/events/journees" == tags.one("citation_public_url")
    assert tags.one("DC.type") == "Event"
    assert ("schema.DC", "http://purl.org/dc/elements/1.1/") in tags.links


def test_no_tag_can_leave_the_head(client, hard_talk):
    html = client.get("/talks/mediation").get_data(as_text=True)
    head = html[:html.index("</head>")]
    assert "</script> à" not in html and "</script>\nà" not in html
    assert "&lt;/script&gt; à Saint-Étienne" in head
    assert head.count("<script") == head.count("</script>") == 1  # the JSON-LD only
