"""A real oEmbed consumer, micawber (the library behind many Python sites' "paste a link, get the
player"), asks our live server about a talk page's address, as a blog or a CMS would, and turns a
standalone link in a text into our viewer's iframe. Then the JSON is checked against what the
oEmbed 1.0 specification requires of a "rich" answer."""
import re
from urllib.parse import urlsplit

from micawber import Provider, ProviderRegistry
from micawber.exceptions import ProviderHTTPException

TALK_URL = "http://127.0.0.1:8000/talks/grainotheques"  # SITE_URL's address of the talk page


def registry_of(live_site: str) -> ProviderRegistry:
    registry = ProviderRegistry()
    registry.register(r"http://127\.0\.0\.1:8000/talks/\S+", Provider(f"{live_site}/oembed"))
    return registry


def test_micawber_turns_a_talk_link_into_the_embedded_viewer(live_site, talk):
    registry = registry_of(live_site)
    answer = registry.request(TALK_URL, maxwidth=500)  # micawber adds maxheight = 500 * 16 / 9
    assert answer["type"] == "rich" and answer["title"] == "Grainothèques en bibliothèque"
    text = registry.parse_text(f"Les diapositives de Léa :\n{TALK_URL}\nBonne lecture.")
    iframe = re.search(r'<iframe src="([^"]+)" width="(\d+)" height="(\d+)"', text)
    assert iframe and iframe.group(1) == "http://127.0.0.1:8000/embed/talks/grainotheques", text
    assert int(iframe.group(2)) <= 640


def test_micawber_gets_the_refusals_as_http_errors(live_site, talk, draft):
    registry = registry_of(live_site)
    for url in ("http://127.0.0.1:8000/talks/brouillon", "http://127.0.0.1:8000/talks/inconnu"):
        try:
            registry.request(url)
        except ProviderHTTPException as refused:
            assert "404" in str(refused)
        else:
            raise AssertionError(f"{url} was answered")


# oEmbed 1.0, section 2.3.4: fields every answer has, and those of the "rich" type.
REQUIRED = {"type": str, "version": str}
RICH_REQUIRED = {"html": str, "width": int, "height": int}
OPTIONAL = {"title": str, "author_name": str, "author_url": str, "provider_name": str, "provider_url": str,
            "cache_age": int, "thumbnail_url": str, "thumbnail_width": int, "thumbnail_height": int}


def test_the_answer_holds_what_the_specification_requires(client, talk):
    answer = client.get("/oembed", query_string={"url": TALK_URL, "maxwidth": "600", "maxheight": "700"}).json
    for name, kind in {**REQUIRED, **RICH_REQUIRED}.items():
        assert isinstance(answer.get(name), kind), name
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert set(answer) <= set(REQUIRED) | set(RICH_REQUIRED) | set(OPTIONAL), set(answer)
    for name in set(answer) & set(OPTIONAL):
        assert isinstance(answer[name], OPTIONAL[name]), name
    thumbnail = {"thumbnail_url", "thumbnail_width", "thumbnail_height"}
    assert thumbnail <= set(answer) or not thumbnail & set(answer)  # all three or none
    assert answer["width"] <= 600 and answer["height"] <= 700
    assert answer["thumbnail_width"] <= 600 and answer["thumbnail_height"] <= 700
    for name in ("author_url", "provider_url", "thumbnail_url"):
        assert urlsplit(answer[name]).scheme in ("http", "https"), name
    assert answer["html"].startswith("<iframe ") and "<script" not in answer["html"]
