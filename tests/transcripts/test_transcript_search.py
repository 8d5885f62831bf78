"""Transcripts are searched: a word said only in a transcript finds the talk, at its moment; a facet
keeps the talks with a transcript; the index follows uploads after their commit only."""
import io

import pytest

from tests.transcripts.samples import SRT_FR, VTT_EN
from webapp.transcripts.operations import delete_transcript, save_transcript


@pytest.fixture
def client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def archive(db, make_talk, add_transcript, drain):
    talks = {"fablab": make_talk("Le fablab de la médiathèque", slug="fablab", language="fr"),
             "other": make_talk("Une autre intervention", slug="autre", language="fr")}
    add_transcript(talks["fablab"], SRT_FR)
    drain()
    return talks


def test_a_word_said_only_in_the_transcript_finds_the_talk(archive, found):
    assert found("xylophone") == ["fablab"]
    assert found("xylophones cartons") == ["fablab"]  # French analysis: plurals do not matter
    assert found('"xylophone en carton"') == ["fablab"]


def test_the_search_page_names_the_moment_and_links_to_the_cue(archive, client):
    page = client.get("/search?q=xylophone").get_data(as_text=True)
    assert '<a href="/talks/fablab#t=754">Said at 12:34</a>' in page
    assert "<mark>xylophone</mark>" in page


def test_the_api_answers_the_moment_and_the_facet(archive, client):
    answer = client.get("/api/v1/search?q=xylophone").get_json()
    [result] = answer["results"]
    assert result["transcript_second"] == 754
    assert result["transcript_url"].endswith("/talks/fablab#t=754")
    assert answer["facets"]["has_transcript"] == {"true": 1}
    everything = client.get("/api/v1/search").get_json()
    assert everything["facets"]["has_transcript"] == {"true": 1, "false": 1}
    assert [r["slug"] for r in client.get("/api/v1/search?has_transcript=true").get_json()["results"]] == ["fablab"]
    assert [r["slug"] for r in client.get("/api/v1/search?has_transcript=no").get_json()["results"]] == ["autre"]
    assert client.get("/api/v1/search?has_transcript=maybe").status_code == 400


def test_a_hit_elsewhere_names_no_moment(archive, client):
    [result] = client.get("/api/v1/search?q=autre").get_json()["results"]
    assert result["transcript_second"] is None and result["transcript_url"] is None


def test_the_search_page_has_the_facet(archive, client):
    page = client.get("/search?q=intervention+OR+fablab").get_data(as_text=True)
    assert 'id="facet-has_transcript"' in page and "With a transcript" in page and "Without a transcript" in page
    filtered = client.get("/search?q=intervention+OR+fablab&has_transcript=true").get_data(as_text=True)
    assert "/talks/fablab" in filtered and "/talks/autre" not in filtered


def test_an_english_transcript_is_searched_in_english(db, make_talk, add_transcript, drain, found):
    talk = make_talk("Atelier", slug="atelier", language="fr")
    add_transcript(talk, VTT_EN, "en", "en.vtt")
    drain()
    assert found("libraries") == ["atelier"]  # stemmed as English: "library" in the cue


def test_the_index_follows_a_committed_upload_and_not_a_rolled_back_one(db, archive, drain, found):
    other = archive["other"]
    save_transcript(other, "fr", io.BytesIO("1\n00:00:02,000 --> 00:00:03,000\nUn zeppelin.\n".encode()), "z.srt", None)
    db.session.rollback()
    drain()
    assert found("zeppelin") == []
    save_transcript(other, "fr", io.BytesIO("1\n00:00:02,000 --> 00:00:03,000\nUn zeppelin.\n".encode()), "z.srt", None)
    db.session.commit()
    drain()
    assert found("zeppelin") == ["autre"]
    delete_transcript(other, "fr", None)
    db.session.commit()
    drain()
    assert found("zeppelin") == [] and found(has_transcript=True) == ["fablab"]


def test_a_replaced_transcript_is_searched_as_it_is_now(db, archive, add_transcript, drain, found):
    add_transcript(archive["fablab"], "1\n00:00:02,000 --> 00:00:03,000\nUn zeppelin.\n")
    drain()
    assert found("zeppelin") == ["fablab"] and found("xylophone") == []
