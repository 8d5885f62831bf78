"""The RIS, CSL-JSON and BibTeX downloads of a talk, of a programme and of a search page, read back
by rispy, bibtexparser and the CSL-JSON schema (tests/catalogue/csl-data.json, the CSL project's)."""
import json
from datetime import date
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares

from tests.catalogue import citation_fixtures
from tests.catalogue.citation_fixtures import HARD_TITLE, MetaTags
from webapp.models import Status

hard_talk = citation_fixtures.hard_talk  # the fixture

CSL_SCHEMA = json.loads((Path(__file__).parent / "csl-data.json").read_text())
ONE_LINE_TITLE = " ".join(HARD_TITLE.split())
EVENT_TITLE = "Journées {100 %} & « Bib »"
FAMILIES = ["Perrusson", "de la Fontaine", "van Beethoven"]
MEDIA_TYPES = {"ris": "application/x-research-info-systems; charset=utf-8",
               "csl.json": "application/vnd.citationstyles.csl+json",
               "bib": "application/x-bibtex; charset=utf-8"}


def download(client, path: str, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response


def read_ris(text: str) -> list[dict]:
    return rispy.loads(text)


def read_csl(text: str) -> list[dict]:
    data = json.loads(text)
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(data)
    return data


def read_bibtex(text: str) -> list:
    library = bibtexparser.parse_string(text, append_middleware=[
        middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])
    assert library.failed_blocks == []  # a duplicate key would be one too
    return library.entries


@pytest.mark.parametrize("extension", MEDIA_TYPES)
def test_a_talk_downloads_as_a_file_named_for_it(client, hard_talk, extension):
    response = download(client, f"/talks/mediation/citation.{extension}")
    assert response.headers["Content-Type"] == MEDIA_TYPES[extension]
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"mediation.{extension}\"; filename*=UTF-8''mediation.{extension}")


def test_ris_reads_back_with_every_field(client, hard_talk):
    [record] = read_ris(download(client, "/talks/mediation/citation.ris").get_data(as_text=True))
    assert record["type_of_reference"] == "SLIDE"
    assert record["title"] == ONE_LINE_TITLE
    assert record["authors"] == ["Perrusson, Sophie", "de la Fontaine, Jean-Pierre", "van Beethoven, Ludwig"]
    assert (record["year"], record["date"]) == ("2016", "2016/10/06")
    assert (record["secondary_title"], record["place_published"]) == (EVENT_TITLE, "Saint-Étienne")
    assert record["keywords"] == [tag.name for tag in hard_talk.tags]
    assert record["urls"] == ["http://127.0.0.1:8000/talks/mediation"]
    assert record["file_attachments1"].endswith("/bilan.pdf")
    assert (record["language"], record["abstract"], record["notes"]) == ("fr", "Un résumé", ["Licence: CC BY 4.0"])


def test_csl_json_follows_the_schema(client, hard_talk):
    [item] = read_csl(download(client, "/talks/mediation/citation.csl.json").get_data(as_text=True))
    assert (item["type"], item["title"], item["event-title"], item["event-place"]) == (
        "speech", ONE_LINE_TITLE, EVENT_TITLE, "Saint-Étienne")
    assert item["author"][1] == {"given": "Jean-Pierre", "non-dropping-particle": "de la", "family": "Fontaine"}
    assert item["issued"] == {"date-parts": [[2016, 10, 6]]}
    assert item["URL"] == "http://127.0.0.1:8000/talks/mediation"


def test_bibtex_reads_back_with_its_special_characters(client, hard_talk):
    [entry] = read_bibtex(download(client, "/talks/mediation/citation.bib").get_data(as_text=True))
    assert entry.entry_type == "misc"
    assert entry["title"] == ONE_LINE_TITLE  # every special character decoded back, the title's braces gone
    assert [" ".join(filter(None, [*name.von, *name.last])) for name in entry["author"]] == FAMILIES
    assert (entry["year"], entry["month"]) == ("2016", "oct")
    assert entry["howpublished"] == f"{EVENT_TITLE}, Saint-Étienne"


def _names_in_every_format(client, path: str) -> dict[str, tuple]:
    """(title, family names, date, event) as each format of a talk gives them."""
    meta = MetaTags(download(client, path).get_data(as_text=True))
    [ris] = read_ris(download(client, f"{path}/citation.ris").get_data(as_text=True))
    [csl] = read_csl(download(client, f"{path}/citation.csl.json").get_data(as_text=True))
    [bib] = read_bibtex(download(client, f"{path}/citation.bib").get_data(as_text=True))
    csl_day = date(*csl["issued"]["date-parts"][0])
    return {
        "meta": (meta.one("citation_title"), [a.split(",")[0] for a in meta.all("citation_author")],
                 meta.one("citation_date").replace("/", "-"), meta.one("citation_conference_title")),
        "ris": (ris["title"], [a.split(",")[0] for a in ris["authors"]], ris["date"].replace("/", "-"),
                ris["secondary_title"]),
        "csl": (csl["title"], [" ".join(filter(None, [a.get("non-dropping-particle"), a["family"]]))
                               for a in csl["author"]], csl_day.isoformat(), csl["event-title"]),
        "bib": (bib["title"], [" ".join([*n.von, *n.last]) for n in bib["author"]],
                f"{bib['year']}-10-06" if bib["month"] == "oct" else None, bib["howpublished"].rsplit(", ", 1)[0]),
    }


def test_every_format_names_the_same_title_speakers_date_and_event(client, hard_talk):
    found = _names_in_every_format(client, "/talks/mediation")
    expected = (ONE_LINE_TITLE, FAMILIES, "2016-10-06", EVENT_TITLE)
    assert found == {name: expected for name in ("meta", "ris", "csl", "bib")}


@pytest.mark.parametrize("title", ["{Unbalanced", "Close } early", "100% \\end{document}", "Line\r\nTY  - JOUR",
                                   "</script><script>alert(1)</script>", '"Quoted", @misc{x,'])
def test_hostile_titles_keep_every_export_well_formed(client, db, make_talk, make_speaker, title):
    make_talk(title, slug="hostile", speakers=[make_speaker("Anne {Martin}")])
    db.session.commit()
    expected = " ".join(title.split())
    ris = read_ris(download(client, "/talks/hostile/citation.ris").get_data(as_text=True))
    assert [record["title"] for record in ris] == [expected]
    csl = read_csl(download(client, "/talks/hostile/citation.csl.json").get_data(as_text=True))
    assert [item["title"] for item in csl] == [expected]
    [entry] = read_bibtex(download(client, "/talks/hostile/citation.bib").get_data(as_text=True))
    assert entry.key.startswith("martin2016")
    html = client.get("/talks/hostile").get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_a_programme_holds_its_public_talks_in_order_and_never_a_draft(client, db, hard_talk, make_talk):
    make_talk("Deuxième", slug="deuxieme", event=hard_talk.event, position=3)
    db.session.commit()
    ris = read_ris(download(client, "/events/journees/programme.ris").get_data(as_text=True))
    assert [r["title"] for r in ris] == [ONE_LINE_TITLE, "Deuxième"]
    csl = read_csl(download(client, "/events/journees/programme.csl.json").get_data(as_text=True))
    assert [i["title"] for i in csl] == [ONE_LINE_TITLE, "Deuxième"]
    response = download(client, "/events/journees/programme.bib")
    assert [e["title"] for e in read_bibtex(response.get_data(as_text=True))] == [ONE_LINE_TITLE, "Deuxième"]
    assert "Brouillon" not in response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="journees-programme.bib"')
    page = client.get("/events/journees").get_data(as_text=True)
    assert 'href="/events/journees/programme.ris"' in page and 'href="/events/journees/programme.csl.json"' in page


def test_drafts_and_unknown_addresses_have_no_export(client, db, hard_talk, make_event):
    make_event("Brouillon", slug="brouillon-event", status=Status.DRAFT)
    db.session.commit()
    for path in ("/talks/brouillon/citation.ris", "/talks/brouillon/citation.bib", "/talks/none/citation.csl.json",
                 "/events/brouillon-event/programme.ris", "/talks/mediation/citation.xml",
                 "/talks/mediation/citation.json"):
        assert client.get(path).status_code == 404, path


def test_duplicate_keys_in_one_file_are_made_unique(client, db, make_event, make_talk, make_speaker):
    event = make_event("Journée", slug="journee")
    anne = make_speaker("Anne Martin")
    for slug in ("fablab-1", "fablab-2"):
        make_talk("Fablab", slug=slug, event=event, speakers=[anne])
    db.session.commit()
    keys = [e.key for e in read_bibtex(download(client, "/events/journee/programme.bib").get_data(as_text=True))]
    assert keys == ["martin2016fablab", "martin2016fablab-2"]


def test_a_search_page_exports_the_talks_it_shows(app, client, db, drain, make_talk, hard_talk):
    app.config["PAGE_SIZE"] = 2
    for n in range(3):
        make_talk(f"Fablab numéro {n}", slug=f"fablab-{n}", given_on=date(2017, 1, 1 + n))
    make_talk("Fablab caché", slug="fablab-cache", status=Status.DRAFT)
    db.session.commit()
    drain()
    page = client.get("/search?q=fablab&sort=date&page=2").get_data(as_text=True)
    assert 'href="/search/citations.ris?q=fablab&amp;sort=date&amp;page=2"' in page
    response = download(client, "/search/citations.ris?q=fablab&sort=date&page=2")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="search-fablab-p2.ris"')
    assert [r["title"] for r in read_ris(response.get_data(as_text=True))] == ["Fablab numéro 0"]
    first = read_csl(download(client, "/search/citations.csl.json?q=fablab&sort=date").get_data(as_text=True))
    assert [i["title"] for i in first] == ["Fablab numéro 2", "Fablab numéro 1"]
    assert "caché" not in download(client, "/search/citations.bib?q=fablab&page=1").get_data(as_text=True)


def test_bad_search_parameters_are_a_400(client, hard_talk):
    response = client.get("/search/citations.ris?q=x&page=zero")
    assert response.status_code == 400
    assert client.get("/search/citations.ris?q=x&q=y").status_code == 400
