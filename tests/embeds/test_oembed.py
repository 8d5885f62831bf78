"""/oembed: the answer (oEmbed 1.0, type rich) for a talk page's address under SITE_URL, its size
within maxwidth/maxheight, and the refusals (400, 404, 501) as JSON; the talk page's discovery link."""
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

SITE = "http://127.0.0.1:8000"  # SITE_URL's default, which the tests keep
TALK_URL = f"{SITE}/talks/grainotheques"


def oembed(client, language="en", **params):
    return client.get("/oembed", query_string=params, headers={"Accept-Language": language})


def test_a_talk_page_address_gets_a_rich_answer(client, talk):
    response = oembed(client, url=TALK_URL, format="json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    answer = json.loads(response.get_data(as_text=True))
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert answer["title"] == "Grainothèques en bibliothèque"
    assert answer["author_name"] == "Léa Dupont" and answer["author_url"] == f"{SITE}/speakers/lea-dupont"
    assert answer["provider_name"] == "Causeries" and answer["provider_url"] == f"{SITE}/"
    assert (answer["width"], answer["height"]) == (640, 330 + 453)  # an A4 landscape page: 595 / 842
    iframe = re.fullmatch(r'<iframe src="([^"]+)" width="(\d+)" height="(\d+)" title="([^"]+)" loading="lazy">'
                          r"</iframe>", answer["html"])
    assert iframe, answer["html"]
    assert iframe.groups() == (f"{SITE}/embed/talks/grainotheques", "640", "783",
                               "Slides: Grainothèques en bibliothèque")
    deck_id = talk_deck_id(talk)
    assert answer["thumbnail_url"] == f"{SITE}/slides/{deck_id}/pages/1/thumb.webp"
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (320, 226)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers


def talk_deck_id(talk) -> int:
    from webapp.slides.queries import current_deck

    return current_deck(talk).id


def test_the_format_defaults_to_json_and_other_addresses_of_the_talk_are_accepted(client, talk):
    for url in (TALK_URL, f"{TALK_URL}#slide-2", f"{TALK_URL}?utm=x", f"{SITE}/embed/talks/grainotheques",
                "https://127.0.0.1:8000/talks/grainotheques"):
        response = oembed(client, url=url)
        assert response.status_code == 200, url
        assert response.json["html"].startswith(f'<iframe src="{SITE}/embed/talks/grainotheques"')


def test_a_speaker_list_is_named_in_the_consumer_language(db, client, make_talk, make_speaker, with_deck):
    speakers = [make_speaker("Ana Diaz"), make_speaker("Bo Li"), make_speaker("Chloé Roux")]
    with_deck(make_talk("À trois voix", slug="trois-voix", speakers=speakers))
    french = oembed(client, "fr", url=f"{SITE}/talks/trois-voix").json
    assert french["author_name"] == "Ana Diaz, Bo Li et Chloé Roux" and "author_url" not in french
    english = client.get("/oembed", query_string={"url": f"{SITE}/talks/trois-voix"},
                         headers={"Accept-Language": "en"}).json
    assert english["author_name"] == "Ana Diaz, Bo Li, and Chloé Roux"


@pytest.mark.parametrize(("limits", "size"), [
    ({"maxwidth": "400"}, (400, 330 + 283)),
    ({"maxwidth": "2000"}, (640, 783)),
    ({"maxheight": "600"}, (381, 600)),  # narrower, so that the slide fits
    ({"maxwidth": "300", "maxheight": "500"}, (240, 500)),
    ({"maxwidth": "100", "maxheight": "100"}, (100, 100)),  # never above the limits, even tiny ones
])
def test_the_frame_stays_within_maxwidth_and_maxheight(client, talk, limits, size):
    answer = oembed(client, url=TALK_URL, **limits).json
    assert (answer["width"], answer["height"]) == size
    assert f'width="{size[0]}" height="{size[1]}"' in answer["html"]
    assert answer["width"] <= int(limits.get("maxwidth", 10**6))
    assert answer["height"] <= int(limits.get("maxheight", 10**6))


def test_a_thumbnail_larger_than_the_limits_is_left_out(client, talk):
    answer = oembed(client, url=TALK_URL, maxwidth="300").json
    assert not {"thumbnail_url", "thumbnail_width", "thumbnail_height"} & set(answer)


@pytest.mark.parametrize(("params", "status", "words"), [
    ({}, 400, "“url” parameter is missing"),
    ({"url": ""}, 400, "“url” parameter is missing"),
    ({"url": "/talks/grainotheques"}, 400, "full address"),
    ({"url": "javascript:alert(1)"}, 400, "full address"),
    ({"url": TALK_URL, "format": "yaml"}, 400, "“format” must be json"),
    ({"url": TALK_URL, "format": "xml"}, 501, "JSON only"),
    ({"url": TALK_URL, "maxwidth": "wide"}, 400, "“maxwidth” must be a whole number"),
    ({"url": TALK_URL, "maxwidth": "0"}, 400, "“maxwidth” must be a whole number"),
    ({"url": TALK_URL, "maxheight": "-5"}, 400, "“maxheight” must be a whole number"),
    ({"url": "https://evil.example/talks/grainotheques"}, 404, "no talk with slides"),
    ({"url": "http://127.0.0.1:8001/talks/grainotheques"}, 404, "no talk with slides"),
    ({"url": f"{SITE}/talks/inconnu"}, 404, "no talk with slides"),
    ({"url": f"{SITE}/talks/brouillon"}, 404, "no talk with slides"),
    ({"url": f"{SITE}/talks/sans-diapositives"}, 404, "no talk with slides"),
    ({"url": f"{SITE}/events/"}, 404, "no talk with slides"),
    ({"url": f"{SITE}/talks/grainotheques/"}, 404, "no talk with slides"),
])
def test_bad_requests_are_refused_in_json_with_a_clear_message(client, english_ui, talk, draft,
                                                              talk_without_slides, params, status, words):
    response = client.get("/oembed", query_string=params)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert words in response.json["message"], response.json


def test_a_repeated_parameter_is_a_400(client, english_ui, talk):
    response = client.get(f"/oembed?url={TALK_URL}&url=https://evil.example/")
    assert response.status_code == 400 and "more than once" in response.json["message"]


def test_the_host_header_does_not_choose_the_site(client, talk):
    """A request sent to another trusted name still answers with SITE_URL's addresses only."""
    response = client.get("/oembed", query_string={"url": "http://localhost/talks/grainotheques"},
                          headers={"Host": "localhost"})
    assert response.status_code == 404
    answer = client.get("/oembed", query_string={"url": TALK_URL}, headers={"Host": "localhost"}).json
    assert "localhost" not in json.dumps(answer)


def test_an_old_slug_of_the_talk_still_names_it(db, client, talk):
    from webapp.core.slugs import change_slug

    change_slug(talk, "Graines partagées")
    db.session.commit()
    answer = oembed(client, url=TALK_URL).json  # the address the consumer saw before the change
    assert answer["html"].startswith(f'<iframe src="{SITE}/embed/talks/graines-partagees"')


def test_talk_pages_carry_the_discovery_link(client, talk, talk_without_slides):
    html = client.get("/talks/grainotheques").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)" title="([^"]+)">', html)
    assert link and unescape(link.group(2)) == "Grainothèques en bibliothèque"
    href = urlsplit(unescape(link.group(1)))
    assert f"{href.scheme}://{href.netloc}{href.path}" == f"{SITE}/oembed"
    assert parse_qs(href.query) == {"url": [TALK_URL], "format": ["json"]}
    assert client.get(unescape(link.group(1)).removeprefix(SITE)).status_code == 200
    without = client.get("/talks/sans-diapositives").get_data(as_text=True)
    assert "application/json+oembed" not in without
