"""The /search page: results in rank order, highlights, facets, filters, errors, zero results."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from webapp.models import Status
from webapp.models.stats import SearchQueryDay
from webapp.stats.collector import flush_counts


@pytest.fixture
def client(app):
    """Answers in English, whatever the catalogue holds."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker, drain):
    sophie = make_speaker("Sophie Perrusson", organisation="Médiathèques de Levallois")
    jean = make_speaker("Jean Dupont")
    day = make_event("Journée #mednumsavoirs", slug="mednumsavoirs-2016", start_date=date(2016, 10, 5))
    pycon = make_event("PyCon FR", slug="pycon-fr-2019", start_date=date(2019, 11, 2))
    talks = {
        "seed": make_talk("Politique de médiation numérique des savoirs", event=day,
                          speakers=[sophie], tags=["mednumsavoirs"], language="fr",
                          summary="<p>Blogs thématiques, bilan chiffré et formation.</p>"),
        "python": make_talk("Python pour les bibliothèques", event=pycon, speakers=[jean],
                            tags=["python"], language="fr"),
        "english": make_talk("Digital mediation in libraries", event=pycon, speakers=[jean],
                             tags=["python", "mednumsavoirs"], language="en"),
        "draft": make_talk("Médiation secrète en préparation", event=day, status=Status.DRAFT),
    }
    db.session.commit()
    drain()
    return talks


def test_results_show_talks_with_highlights_event_and_speakers(client, archive):
    response = client.get("/search?q=médiation")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert archive["seed"].slug in page and "<mark>" in page
    assert "Journée #mednumsavoirs" in page and "Sophie Perrusson" in page


def test_drafts_never_appear(client, archive):
    page = client.get("/search?q=secrète").get_data(as_text=True)
    assert archive["draft"].slug not in page
    assert "No talk matches this search." in page


def test_matching_speakers_are_listed_in_the_side_box(client, archive):
    page = client.get("/search?q=perrusson").get_data(as_text=True)
    assert 'href="/speakers/' in page and "Médiathèques de Levallois" in page


def test_facets_link_to_filtered_searches(client, archive):
    page = client.get("/search?q=mediation").get_data(as_text=True)
    assert 'aria-labelledby="facet-tag"' in page and 'aria-labelledby="facet-year"' in page
    assert "/search?q=mediation&amp;tag=mednumsavoirs" in page
    filtered = client.get("/search?q=mediation&tag=python").get_data(as_text=True)
    assert archive["english"].slug in filtered and archive["seed"].slug not in filtered
    assert 'aria-current="true"' in filtered  # the active facet value, a link that removes it


@pytest.mark.parametrize("query", [
    "tag=python", "event=pycon-fr-2019", "year=2019", "lang=en", "has_slides=false",
    "speaker=does-not-exist", "sort=date",
])
def test_every_filter_is_accepted(client, archive, query):
    assert client.get(f"/search?q=python&{query}").status_code == 200


def test_browse_by_filter_without_text(client, archive):
    page = client.get("/search?tag=mednumsavoirs").get_data(as_text=True)
    assert archive["seed"].slug in page and archive["english"].slug in page


@pytest.mark.parametrize("query, message", [
    ("year=20x6", "four digits"), ("lang=de", "fr or en"), ("sort=popular", "relevance or date"),
    ("page=0", "page must be"), ("page=abc", "page must be"), ("has_slides=maybe", "true or false"),
    ("event=Not%20A%20Slug", "identifier"), ("tag=%23%23%23", "tag must contain"),
    ("q=a&q=b", "more than once"), ("q=" + "x" * 301, "too long"),
])
def test_bad_parameters_are_a_400_with_a_message(client, archive, query, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_page_after_the_last_is_a_404(client, archive):
    assert client.get("/search?q=médiation&page=40").status_code == 404


def test_the_query_is_echoed_back_escaped(client, archive):
    hostile = '<script>alert("x")</script>'
    page = client.get("/search", query_string={"q": hostile}).get_data(as_text=True)
    assert hostile not in page
    assert "&lt;script&gt;" in page


def test_zero_results_suggest_tags(client, archive):
    page = client.get("/search?q=zzzzqqq").get_data(as_text=True)
    assert "No talk matches this search." in page
    assert "#mednumsavoirs" in page and "#python" in page


def test_did_you_mean_links_to_the_corrected_search(client, archive):
    page = client.get("/search?q=médation").get_data(as_text=True)
    assert "Did you mean" in page
    assert re.search(r'<a href="/search\?q=m(%C3%A9|e)diation">m[ée]diation</a>', page)


def test_empty_search_shows_the_help_and_popular_tags(client, archive):
    page = client.get("/search").get_data(as_text=True)
    assert "Popular tags" in page and "#mednumsavoirs" in page


def test_sorting_by_date_puts_the_newest_first(client, archive):
    page = client.get("/search?tag=mednumsavoirs&sort=date").get_data(as_text=True)
    assert page.index(archive["english"].slug) < page.index(archive["seed"].slug)


def test_pagination_links(client, db, make_event, make_talk, drain, app):
    app.config["PAGE_SIZE"] = 2
    event = make_event()
    for n in range(5):
        make_talk(f"Atelier numéro {n}", event=event)
    db.session.commit()
    drain()
    page = client.get("/search?q=atelier&page=2").get_data(as_text=True)
    assert 'rel="prev"' in page and 'rel="next"' in page and 'aria-current="page"' in page
    assert page.count('class="search-result"') == 2


def test_searching_before_anything_is_indexed_then_after(client, db, make_talk, drain):
    assert client.get("/search?q=premier").status_code == 200  # the reader opens an empty index
    talk = make_talk("Premier retour d'expérience")
    db.session.commit()
    drain()
    response = client.get("/search?q=premier")
    assert response.status_code == 200 and talk.slug in response.get_data(as_text=True)


def test_a_long_query_is_used_in_part_and_says_so(client, archive):
    words = " ".join(f"mot{n}" for n in range(40))
    page = client.get("/search", query_string={"q": f"médiation {words}"}).get_data(as_text=True)
    assert "only its first 32 words and 8 phrases were used" in page
    plain = client.get("/search", query_string={"q": "médiation"}).get_data(as_text=True)
    assert "were used" not in plain
    answer = client.get("/api/v1/search", query_string={"q": f"médiation {words}"}).get_json()
    assert answer["is_query_truncated"] is True and answer["is_partial"] is False


@pytest.fixture
def compounds(db, make_talk, drain):
    talks = {"hyphenated": make_talk("Des micro-services avec Kubernetes", language="fr",
                                     summary="<p>Quitter le monolithe.</p>"),
             "joined": make_talk("Microservices in Python", language="en")}
    db.session.commit()
    drain()
    return talks


def result_slugs(page: str) -> list[str]:
    return re.findall(r'class="search-result".*?href="/talks/([^"]+)"', page, re.S)


def test_a_compound_is_found_typed_joined_or_apart(client, compounds):
    for q in ("microservices", "micro services", "micro-services"):
        page = client.get("/search", query_string={"q": q}).get_data(as_text=True)
        assert sorted(result_slugs(page)) == sorted(talk.slug for talk in compounds.values()), q
        assert "most of them" not in page


def test_a_search_no_talk_fully_matches_shows_those_with_most_words_and_says_so(client, compounds):
    page = client.get("/search", query_string={"q": "kuberntes microservices monolithe"}).get_data(as_text=True)
    assert "No talk has all these words; talks with most of them:" in page
    assert result_slugs(page) == [compounds["hyphenated"].slug]
    assert re.search(r"Did you mean <a [^>]*>kubernetes microservices monolithe</a>", page)
    answer = client.get("/api/v1/search", query_string={"q": "kuberntes microservices monolithe"}).get_json()
    assert answer["match"] == "most" and answer["total"] == 1 and answer["is_partial"] is False
    assert [result["slug"] for result in answer["results"]] == [compounds["hyphenated"].slug]
    assert answer["suggestion"] == "kubernetes microservices monolithe"
    assert client.get("/api/v1/search", query_string={"q": "microservice kubernetes"}).get_json()["match"] == "all"


def test_a_phrase_no_talk_holds_finds_nothing(client, compounds):
    page = client.get("/search", query_string={"q": '"kubernetes microservice"'}).get_data(as_text=True)
    assert "No talk matches this search." in page and "most of them" not in page
    answer = client.get("/api/v1/search", query_string={"q": 'title:kubernetes title:python'}).get_json()
    assert answer["total"] == 0 and answer["match"] == "all"


def test_a_search_answered_with_most_of_its_words_counts_as_finding_nothing(app, client, db, compounds):
    app.config["STATS_ENABLED"] = True
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
    for q in ("microservice kubernetes monolithic", "microservice kubernetes"):
        client.get("/search", query_string={"q": q}, headers=headers)
    flush_counts(app)
    rows = {row.query: (row.count, row.zero_result_count) for row in db.session.scalars(select(SearchQueryDay))}
    assert rows == {"microservice kubernetes monolithic": (1, 1), "microservice kubernetes": (1, 0)}


class TestASearchOutOfTime:
    @pytest.fixture
    def app_config(self):
        return {"SEARCH_QUERY_SECONDS": 0}

    def test_it_answers_and_says_the_results_may_be_incomplete(self, client, archive):
        response = client.get("/search", query_string={"q": "médiation"})
        assert response.status_code == 200
        assert "may be incomplete" in response.get_data(as_text=True)
        assert client.get("/api/v1/search", query_string={"q": "médiation"}).get_json()["is_partial"] is True


def test_a_place_or_a_host_organisation_finds_the_talks_held_there(client, db, make_event, make_talk, drain):
    event = make_event("Journée régionale", place="Toulouse", host_organisation="Médiathèque José Cabanis")
    make_talk("Des ateliers pour tous", event=event, language="fr")
    make_talk("Ailleurs", language="fr")
    db.session.commit()
    drain()
    for query in ("Toulouse", "Cabanis"):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert "Des ateliers pour tous" in page and "Ailleurs" not in page, query


def test_singular_and_plural_find_the_same_talks_in_either_language(client, db, make_talk, drain):
    make_talk("Un fablab en bibliothèque", language="fr")
    make_talk("Running fablabs in libraries", language="en")
    make_talk("Fablabs et médiathèques", language=None)
    db.session.commit()
    drain()
    singular = client.get("/api/v1/search", query_string={"q": "fablab"}).get_json()
    plural = client.get("/api/v1/search", query_string={"q": "fablabs"}).get_json()
    assert singular["total"] == plural["total"] == 3


def test_singular_and_plural_find_the_same_tags_and_events(client, db, make_event, make_talk, drain):
    make_talk("Atelier du samedi", tags=["fablabs"], language="fr")
    make_talk("Saturday workshop", event=make_event("Rencontre des fablabs", place="Lannion"), language="en")
    make_talk("Autre chose", tags=["makerspace"], language="fr")
    db.session.commit()
    drain()
    for query in ("fablab", "fablabs", "#fablab"):
        found = client.get("/api/v1/search", query_string={"q": query}).get_json()
        assert sorted(item["title"] for item in found["results"]) == ["Atelier du samedi", "Saturday workshop"]


def test_the_years_facet_reads_in_chronological_order(client, db, make_event, make_talk, drain):
    for year, count in ((2019, 1), (2016, 3), (2023, 2)):
        event = make_event(f"Journée {year}", start_date=date(year, 5, 1))
        for n in range(count):
            make_talk(f"Médiation {year} {n}", event=event)
    db.session.commit()
    drain()
    page = client.get("/search", query_string={"q": "médiation"}).get_data(as_text=True)
    years = re.findall(r"year=(\d{4})", page)
    shown = list(dict.fromkeys(years))
    assert shown == ["2016", "2019", "2023"]


def extracted_messages(*paths: str) -> set[tuple[str | None, str]]:
    """(context, msgid) of the messages `make extract-messages` finds in these files, with its keywords."""
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
    from babel.messages.frontend import parse_keywords

    root = Path(__file__).resolve().parents[2]
    command = next(line for line in (root / "Makefile").read_text().splitlines() if "pybabel extract" in line)
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(re.findall(r"-k (\S+)", command))}
    found = set()
    for path in paths:
        method = "python" if path.endswith(".py") else "jinja2"
        found |= {(context, message) for _line, message, _comments, context
                  in extract_from_file(method, str(root / path), keywords=keywords)}
    return found


def test_search_as_a_noun_and_search_as_a_verb_are_translated_apart():
    """French needs "Recherche" for the page's name and "Rechercher" for its button."""
    page = extracted_messages("webapp/search/templates/search/results.html")
    assert {("noun", "Search"), ("noun", "Search the archive")} <= page
    assert (None, "Search") not in page
    assert (None, "Search") in extracted_messages("webapp/search/templates/search/macros.html",
                                                  "webapp/templates/base.html")
    statistics = extracted_messages("webapp/stats/tables.py", "webapp/stats/forms.py",
                                    "webapp/stats/templates/manage/stats_rules.html")
    assert ("noun", "Search") in statistics and (None, "Search") not in statistics


def test_a_facet_shows_its_top_values_and_how_many_more(client, db, make_event, make_talk, make_speaker, drain):
    event = make_event("Journée des ateliers", slug="ateliers")
    for number in range(15):
        make_talk(f"Atelier de robotique {number}", event=event,
                  speakers=[make_speaker(f"Intervenante {number:02d}", slug=f"intervenante-{number:02d}")])
    db.session.commit()
    drain()
    page = client.get("/search?q=robotique&speaker=intervenante-14").get_data(as_text=True)
    speakers = re.search(r'aria-labelledby="facet-speaker">(.*?)</section>', page, re.S).group(1)
    assert speakers.count("<li>") == 1 and "Intervenante 14" in speakers  # the filter: one talk
    page = client.get("/search?q=robotique").get_data(as_text=True)
    speakers = re.search(r'aria-labelledby="facet-speaker">(.*?)</section>', page, re.S).group(1)
    assert speakers.count("<li>") == 12 and "and 3 more" in speakers
    events = re.search(r'aria-labelledby="facet-event">(.*?)</section>', page, re.S).group(1)
    assert "Journée des ateliers" in events and "more" not in events


@pytest.mark.usefixtures("compiled_translations")
def test_a_cached_search_speaks_each_visitors_language(client, archive):
    english = client.get("/search?q=médiation").get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    french = client.get("/search?q=médiation").get_data(as_text=True)
    assert "talks found." in english and "interventions trouvées." in french
