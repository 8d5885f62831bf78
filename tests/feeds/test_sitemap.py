"""The sitemap (plain, then split into an index) and robots.txt."""
import re
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urlsplit

import pytest

from webapp.models import Status

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")
SMALL_PAGE = 3


@pytest.fixture
def app_config(request):
    """SITEMAP_PAGE_SIZE is large unless a test asks for a small one (indirect parametrize)."""
    return {"SITEMAP_PAGE_SIZE": getattr(request, "param", 10000)}


small_pages = pytest.mark.parametrize("app_config", [SMALL_PAGE], indirect=True)


def parse_xml(response) -> ET.Element:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.data)


def local_path(url: str) -> str:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "127.0.0.1:8000")  # SITE_URL, whatever the Host
    return parts.path + (f"?{parts.query}" if parts.query else "")


def listed_paths(urlset: ET.Element) -> list[str]:
    assert urlset.tag == f"{SITEMAP}urlset"
    return [local_path(loc.text) for loc in urlset.iter(f"{SITEMAP}loc")]


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker):
    """Public and hidden rows of every kind, and the paths the sitemap must list."""
    event = make_event("Journée 2016", start_date=date(2016, 10, 5), tags=["evenement"])
    other = make_event("Journée 2018", start_date=date(2018, 3, 1))
    speaker, hidden_speaker = make_speaker("Anne Martin"), make_speaker("Caché")
    talk = make_talk(event=event, speakers=[speaker], tags=["mednumsavoirs"])
    second = make_talk(event=other, tags=["mednumsavoirs"])
    draft = make_talk(event=event, status=Status.DRAFT, speakers=[hidden_speaker],
                      tags=["brouillon"])
    draft_event = make_event("Draft", start_date=date(2012, 1, 1), status=Status.DRAFT)
    in_draft_event = make_talk(event=draft_event, speakers=[hidden_speaker], tags=["cache"])
    db.session.commit()
    public = {"/", "/events/", "/speakers/", "/tags/", "/events/2016/", "/events/2018/",
              f"/events/{event.slug}", f"/events/{other.slug}", f"/talks/{talk.slug}",
              f"/talks/{second.slug}", f"/speakers/{speaker.slug}", "/tags/mednumsavoirs"}
    hidden = {f"/talks/{draft.slug}", f"/talks/{in_draft_event.slug}",
              f"/events/{draft_event.slug}", f"/speakers/{hidden_speaker.slug}",
              "/tags/brouillon", "/tags/cache", "/tags/evenement", "/events/2012/"}
    return public, hidden


def test_sitemap_lists_every_public_page_and_nothing_else(client, archive):
    public, hidden = archive
    paths = listed_paths(parse_xml(client.get("/sitemap.xml")))
    assert len(paths) == len(set(paths))
    assert set(paths) == public
    assert not set(paths) & hidden


def test_every_listed_page_answers_200(client, archive):
    for path in listed_paths(parse_xml(client.get("/sitemap.xml"))):
        assert client.get(path).status_code == 200, path


def test_every_url_has_a_w3c_lastmod(client, archive):
    urlset = parse_xml(client.get("/sitemap.xml"))
    lastmods = [url.findtext(f"{SITEMAP}lastmod") for url in urlset.iter(f"{SITEMAP}url")]
    assert lastmods and all(W3C_DATETIME.match(lastmod or "") for lastmod in lastmods)


def test_empty_archive_lists_the_fixed_pages(client):
    assert listed_paths(parse_xml(client.get("/sitemap.xml"))) == [
        "/", "/events/", "/speakers/", "/tags/"]


def test_unchanged_sitemap_answers_304(client, archive):
    first = client.get("/sitemap.xml")
    again = client.get("/sitemap.xml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# The index, when the archive outgrows one sitemap -----------------------------------------

def index_parts(client) -> list[str]:
    index = parse_xml(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    return [local_path(loc.text) for loc in index.iter(f"{SITEMAP}loc")]


@small_pages
def test_large_sitemap_becomes_an_index_of_small_pages(client, archive):
    public, _ = archive
    parts = index_parts(client)
    assert parts[:2] == ["/sitemaps/pages-1.xml", "/sitemaps/pages-2.xml"]
    assert "/sitemaps/talks-1.xml" in parts and "/sitemaps/tags-1.xml" in parts
    seen = []
    for part in parts:
        paths = listed_paths(parse_xml(client.get(part)))
        assert 1 <= len(paths) <= SMALL_PAGE, part
        seen += paths
    assert sorted(seen) == sorted(public)


@small_pages
def test_index_pages_list_only_pages_that_answer_200(client, archive):
    for part in index_parts(client):
        for path in listed_paths(parse_xml(client.get(part))):
            assert client.get(path).status_code == 200, path


@small_pages
@pytest.mark.parametrize("path", [
    "/sitemaps/pages-0.xml", "/sitemaps/pages-3.xml", "/sitemaps/talks-99999999999999999999.xml",
    "/sitemaps/drafts-1.xml", "/sitemaps/talks-x.xml", "/sitemaps/talks--1.xml",
    "/sitemaps/talks-1.txt", "/sitemaps/speakers-2.xml",
])
def test_bad_sitemap_pages_are_404(client, archive, path):
    assert client.get(path).status_code == 404


# robots.txt -------------------------------------------------------------------------------

def test_robots_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.get_data(as_text=True).splitlines()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
    assert {"User-agent: *", "Allow: /", "Disallow: /manage/", "Disallow: /api/",
            "Disallow: /search"} <= set(lines)
    assert "Disallow: /" not in lines
