"""Absolute URLs come from SITE_URL, never from the Host header; untrusted hosts get a 400
(issue 13, item 9)."""
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

SITE = "https://causeries.example.org"


@pytest.fixture
def app_config():
    return {"SITE_URL": SITE}


@pytest.fixture
def archive(db, make_talk, make_speaker, drain):
    talk = make_talk("Médiation numérique", speakers=[make_speaker("Anne Martin")], tags=["mednumsavoirs"])
    db.session.commit()
    drain()
    return talk


def absolute_urls(body: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>]+", body))


def links_to_this_site(body: str) -> set[str]:
    """The absolute URLs on a host of ours, also those carried inside another URL's query (the
    share links give the page's address to Bluesky, LinkedIn...)."""
    found = set()
    for url in absolute_urls(body):
        host = urlsplit(url).hostname or ""
        if host == "localhost" or host.endswith("example.org"):
            found.add(url)
        for _name, value in parse_qsl(urlsplit(url.replace("&amp;", "&")).query):
            found |= links_to_this_site(value)
    return found


def test_a_forged_host_is_refused_with_400(client, archive):
    for path in ("/", f"/talks/{archive.slug}", "/feeds/talks.atom", "/sitemap.xml", "/api/v1/search?q=x",
                 "/manage/", "/profile/", "/login"):
        assert client.get(path, headers={"Host": "evil.example"}).status_code == 400, path
        assert client.get(path, headers={"Host": "causeries.example.org.evil.example"}).status_code == 400


def test_every_absolute_url_names_the_site(client, archive):
    """Requested through a trusted but different name (localhost), pages, feeds, the sitemap and
    the API link to SITE_URL only."""
    paths = ["/", f"/talks/{archive.slug}", f"/speakers/{archive.speakers[0].slug}", "/tags/mednumsavoirs",
             f"/events/{archive.event.slug}", "/feeds/talks.atom", f"/events/{archive.event.slug}/calendar.ics",
             "/sitemap.xml", "/sitemaps/talks-1.xml", "/robots.txt", "/api/v1/search?q=médiation",
             "/api/v1/suggest?q=anne"]
    seen = set()
    for path in paths:
        response = client.get(path, headers={"Host": "localhost:5000"})
        assert response.status_code == 200, path
        seen |= links_to_this_site(response.get_data(as_text=True))
    assert seen and all(url.startswith(SITE + "/") or url == SITE for url in seen), sorted(seen)
    talk_page = client.get(f"/talks/{archive.slug}", headers={"Host": "localhost"}).get_data(as_text=True)
    assert f'<link rel="canonical" href="{SITE}/talks/{archive.slug}">' in talk_page
    assert f'content="{SITE}/talks/{archive.slug}"' in talk_page  # og:url


def test_the_api_gives_site_urls(client, archive):
    data = json.loads(client.get("/api/v1/search?q=médiation", headers={"Host": "127.0.0.1:9999"}).data)
    assert data["results"][0]["url"] == f"{SITE}/talks/{archive.slug}"


class TestConfiguredHosts:
    @pytest.fixture
    def app_config(self):
        return {"SITE_URL": SITE, "TRUSTED_HOSTS": ["causeries.example.org", ".mirror.example.net"]}

    def test_only_the_listed_hosts_are_served(self, client, archive):
        assert client.get("/", headers={"Host": "causeries.example.org"}).status_code == 200
        assert client.get("/", headers={"Host": "www.mirror.example.net"}).status_code == 200
        assert client.get("/", headers={"Host": "localhost"}).status_code == 400
