"""/api/v1/search and /api/v1/suggest: JSON, the same parameters as /search, JSON errors."""
from datetime import date

import pytest

from webapp.models import Status


@pytest.fixture
def client(app):
    """Answers in English, whatever the catalogue holds."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker, drain):
    speaker = make_speaker("Sophie Perrusson", slug="sophie-perrusson")
    event = make_event("Journée #mednumsavoirs", slug="mednumsavoirs-2016")
    talk = make_talk("Politique de médiation numérique", slug="mediation-numerique", event=event,
                     speakers=[speaker], tags=["mednumsavoirs"])
    make_talk("Médiation brouillon", slug="brouillon", event=event, status=Status.DRAFT)
    db.session.commit()
    drain()
    return talk


def test_search_answers_results_speakers_and_facets(client, archive):
    data = client.get("/api/v1/search?q=médiation").get_json()
    assert data["query"] == "médiation" and data["total"] == 1 and data["page"] == 1
    [result] = data["results"]
    assert result["type"] == "talk" and result["slug"] == "mediation-numerique"
    assert result["url"].endswith("/talks/mediation-numerique")
    assert result["event"]["slug"] == "mednumsavoirs-2016"
    assert result["speakers"] == [{"slug": "sophie-perrusson", "name": "Sophie Perrusson"}]
    assert "<mark>" in result["highlight"]
    assert data["facets"]["tag"] == {"mednumsavoirs": 1}


def test_search_lists_matching_speakers(client, archive):
    data = client.get("/api/v1/search?q=perrusson").get_json()
    assert [s["slug"] for s in data["speakers"]] == ["sophie-perrusson"]
    assert data["speakers"][0]["url"].endswith("/speakers/sophie-perrusson")


def test_drafts_are_never_returned(client, archive):
    data = client.get("/api/v1/search?q=brouillon").get_json()
    assert data["total"] == 0 and data["results"] == []


@pytest.mark.parametrize("query", ["year=abcd", "lang=xx", "sort=x", "page=-1", "tag=%23"])
def test_bad_parameters_are_a_json_400(client, archive, query):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["message"]


def test_suggest_completes_titles_speakers_and_tags(client, archive):
    data = client.get("/api/v1/suggest?q=medi").get_json()
    assert data["query"] == "medi"
    urls = {s["url"] for s in data["suggestions"]}
    assert "/talks/mediation-numerique" in urls
    speakers = client.get("/api/v1/suggest?q=perru").get_json()["suggestions"]
    assert {"type": "speaker", "label": "Sophie Perrusson",
            "url": "/speakers/sophie-perrusson"} in speakers
    tags = client.get("/api/v1/suggest?q=%23mednum").get_json()["suggestions"]
    assert any(s["type"] == "tag" and s["url"] == "/tags/mednumsavoirs" for s in tags)


def test_suggest_never_offers_drafts(client, archive):
    labels = [s["label"] for s in client.get("/api/v1/suggest?q=brou").get_json()["suggestions"]]
    assert "Médiation brouillon" not in labels


def test_suggest_with_nothing_typed_is_empty(client, archive):
    assert client.get("/api/v1/suggest?q=%20").get_json() == {"query": "", "suggestions": []}


def test_the_api_is_get_only(client, archive):
    assert client.post("/api/v1/search?q=x").status_code == 405


def _suggested_tags(client, prefix: str) -> list[str]:
    return [s["label"] for s in client.get(f"/api/v1/suggest?q={prefix}").get_json()["suggestions"]
            if s["type"] == "tag"]


def test_suggest_offers_no_tag_a_visitor_cannot_see(db, client, archive, make_talk, make_event, drain):
    """Tags of drafts, of talks unpublished or deleted since, and of draft events stay out
    (the index's vocabulary keeps them until its segments merge)."""
    make_talk("Brouillon", tags=["mednum-brouillon"], status=Status.DRAFT)
    unpublished = make_talk("Plus tard", tags=["mednum-retire"])
    deleted = make_talk("Supprimé", tags=["mednum-supprime"])
    make_talk("Caché", tags=["mednum-cache"], event=make_event("Journée cachée", status=Status.DRAFT))
    db.session.commit()
    drain()
    assert {"#mednum-retire", "#mednum-supprime"} <= set(_suggested_tags(client, "%23mednum"))
    unpublished.status = Status.DRAFT
    db.session.delete(deleted)
    db.session.commit()
    drain()
    assert _suggested_tags(client, "%23mednum") == ["#mednumsavoirs"]
    assert _suggested_tags(client, "mednum") == ["#mednumsavoirs"]


def test_suggest_still_fills_its_page_when_hidden_tags_come_first(db, client, archive, make_talk, drain):
    for n in range(10):
        make_talk(f"Brouillon {n}", tags=[f"med-{n}"], status=Status.DRAFT)
    db.session.commit()
    drain()
    assert _suggested_tags(client, "%23med") == ["#mednumsavoirs"]


@pytest.fixture
def crowded(db, make_event, make_talk, make_speaker, drain):
    """25 talks on robotics, each by its own speaker: more speakers than a facet lists."""
    event = make_event("Journée des ateliers", slug="ateliers")
    for number in range(25):
        make_talk(f"Atelier de robotique {number}", event=event,
                  speakers=[make_speaker(f"Intervenante {number:02d}", slug=f"intervenante-{number:02d}")])
    db.session.commit()
    drain()


def test_facets_answer_the_top_values_and_how_many_others(client, crowded):
    data = client.get("/api/v1/search?q=robotique").get_json()
    assert data["total"] == 25
    assert len(data["facets"]["speaker"]) == 20 and data["facet_others"]["speaker"] == 5
    assert data["facets"]["event"] == {"ateliers": 25} and data["facet_others"]["event"] == 0
    fewer = client.get("/api/v1/search?q=robotique&facet_limit=3").get_json()
    assert len(fewer["facets"]["speaker"]) == 3 and fewer["facet_others"]["speaker"] == 22


def test_the_active_speaker_is_among_the_facet_values(client, crowded):
    data = client.get("/api/v1/search?q=robotique&speaker=intervenante-24&facet_limit=1").get_json()
    assert data["facets"]["speaker"] == {"intervenante-24": 1}


@pytest.mark.parametrize("value", ["0", "101", "abc", "-3"])
def test_a_bad_number_of_facet_values_is_a_json_400(client, archive, value):
    response = client.get(f"/api/v1/search?q=médiation&facet_limit={value}")
    assert response.status_code == 400
    assert "facet" in response.get_json()["message"]


def test_a_repeated_search_answers_what_was_indexed_since(client, db, archive, make_talk, drain):
    assert client.get("/api/v1/search?q=médiation").get_json()["total"] == 1
    make_talk("Médiation et robotique", slug="robotique", event=archive.event)
    db.session.commit()
    drain()
    data = client.get("/api/v1/search?q=médiation").get_json()
    assert data["total"] == 2 and {r["slug"] for r in data["results"]} == {"mediation-numerique", "robotique"}


def test_a_repeated_search_never_shows_a_talk_unpublished_since(client, db, archive):
    assert client.get("/api/v1/search?q=médiation").get_json()["total"] == 1
    archive.status = Status.DRAFT  # before the writer has indexed the change
    db.session.commit()
    assert client.get("/api/v1/search?q=médiation").get_json()["results"] == []


def test_a_client_chooses_how_many_results_a_page_holds(client, crowded):
    default = client.get("/api/v1/search?q=robotique").get_json()
    assert len(default["results"]) == 20 and default["pages"] == 2
    ten = client.get("/api/v1/search?q=robotique&per_page=10&page=3").get_json()
    assert len(ten["results"]) == 5 and ten["pages"] == 3 and ten["total"] == 25
    first_ten = client.get("/api/v1/search?q=robotique&per_page=10").get_json()["results"]
    assert {r["slug"] for r in first_ten}.isdisjoint(r["slug"] for r in ten["results"])


@pytest.mark.parametrize("value", ["0", "51", "dix", "-1"])
def test_a_bad_number_of_results_per_page_is_a_json_400(client, archive, value):
    response = client.get(f"/api/v1/search?q=médiation&per_page={value}")
    assert response.status_code == 400
    assert "results per page" in response.get_json()["message"]


def test_a_result_gives_its_speakers_in_order_and_its_date(client, db, make_event, make_talk, make_speaker, drain):
    event = make_event("Rencontres", slug="rencontres", start_date=date(2019, 6, 3))
    first, second = make_speaker("Zoé Abadie", slug="zoe-abadie"), make_speaker("Ana Lima", slug="ana-lima")
    make_talk("Herbiers numérisés", slug="herbiers", event=event, speakers=[first, second])
    make_talk("Herbiers partagés", slug="herbiers-partages", event=event, given_on=date(2019, 6, 4))
    hidden = make_event("Brouillon", slug="brouillon", status=Status.DRAFT)
    make_talk("Herbiers cachés", slug="herbiers-caches", event=hidden)
    db.session.commit()
    drain()
    results = {r["slug"]: r for r in client.get("/api/v1/search?q=herbiers").get_json()["results"]}
    assert set(results) == {"herbiers", "herbiers-partages"}  # the draft event's talk is not public
    assert [s["slug"] for s in results["herbiers"]["speakers"]] == ["zoe-abadie", "ana-lima"]
    assert results["herbiers"]["date"] == "2019-06-03"  # the event's date when the talk has none
    assert results["herbiers-partages"]["date"] == "2019-06-04"
    assert results["herbiers"]["event"] == {"slug": "rencontres", "title": "Rencontres"}
