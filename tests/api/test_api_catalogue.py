"""/api/v1/events, /talks, /speakers, /tags: representations, drafts, filters, errors, pagination,
validators and CORS. Every answer is validated against the served OpenAPI document (`checked`)."""
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import update

from tests.api.conftest import PUBLIC_TALKS, SITE
from webapp.models import Talk


def _links(response) -> dict[str, str]:
    """rel -> target of an RFC 8288 Link header."""
    found = {}
    for part in response.headers.get("Link", "").split(", "):
        target, rel = part.split(">; rel=")
        found[rel.strip('"')] = target.lstrip("<")
    return found


def _local(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE, url  # from SITE_URL, never from the Host header
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _walk(checked, path: str) -> list[dict]:
    """Every item of a list, following rel="next" from page to page."""
    items, pages = [], 0
    while path:
        response = checked(path, headers={"Host": "localhost"})
        assert response.status_code == 200
        items += response.get_json()["items"]
        assert _links(response)["first"].startswith(SITE)
        path, pages = (_local(_links(response)["next"]) if "next" in _links(response) else None), pages + 1
        assert pages <= 50
    return items


def test_a_talk_says_everything_a_catalogue_needs(checked, archive):
    talk = checked("/api/v1/talks/expose-1").get_json()
    assert talk["title"] == "Exposé 1" and talk["url"] == f"{SITE}/talks/expose-1"
    assert talk["api_url"] == f"{SITE}/api/v1/talks/expose-1"
    assert talk["summary"] == "<p>Résumé <strong>1</strong> &amp; suite</p>"
    assert talk["summary_text"] == "Résumé 1 & suite"
    assert (talk["language"], talk["given_on"], talk["duration_minutes"]) == ("fr", "2016-10-05", 30)
    assert talk["starts_at"] == "2016-10-05T10:00:00+00:00"
    assert talk["event"] == {"slug": "journee-mediation", "title": "Journée médiation",
                             "url": f"{SITE}/events/journee-mediation",
                             "api_url": f"{SITE}/api/v1/events/journee-mediation"}
    assert [s["slug"] for s in talk["speakers"]] == ["sophie-perrusson"]
    assert talk["speakers"][0]["api_url"] == f"{SITE}/api/v1/speakers/sophie-perrusson"
    assert [t["label"] for t in talk["tags"]] == ["#mednum", "#robotique"]
    assert talk["licence"] == {"spdx": "CC-BY-4.0", "name": "CC BY 4.0",
                               "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert talk["video_url"] == "https://video.example.org/v.mp4" and talk["slides"] is None


def test_the_lists_show_public_rows_only(checked, archive):
    talks = _walk(checked, "/api/v1/talks")
    assert sorted(t["slug"] for t in talks) == sorted(f"expose-{n}" for n in range(PUBLIC_TALKS))
    assert [e["slug"] for e in _walk(checked, "/api/v1/events")] == ["journee-mediation"]
    assert sorted(s["slug"] for s in _walk(checked, "/api/v1/speakers")) == ["julien", "sophie-perrusson"]
    assert sorted(t["name"] for t in _walk(checked, "/api/v1/tags")) == ["mednum", "robotique"]


@pytest.mark.parametrize("path", ["/api/v1/talks/expose-brouillon", "/api/v1/talks/expose-evenement-brouillon",
                                  "/api/v1/events/journee-brouillon", "/api/v1/speakers/brouillon",
                                  "/api/v1/speakers/cachee", "/api/v1/tags/secret", "/api/v1/tags/cache",
                                  "/api/v1/talks/nothing-here", "/api/v1/events/nothing-here"])
def test_drafts_and_unknown_slugs_are_a_json_404(checked, archive, path):
    response = checked(path)
    assert response.status_code == 404 and response.is_json and response.get_json()["error"] == "Not Found"


def test_an_event_lists_its_public_programme(checked, archive):
    event = checked("/api/v1/events/journee-mediation").get_json()
    assert [t["slug"] for t in event["talks"]] == [f"expose-{n}" for n in range(PUBLIC_TALKS)]
    assert event["talk_count"] == PUBLIC_TALKS and event["place"] == "Lyon"
    assert event["talks_api_url"] == f"{SITE}/api/v1/talks?event=journee-mediation"


def test_a_speaker_and_a_tag(checked, archive):
    speaker = checked("/api/v1/speakers/sophie-perrusson").get_json()
    assert speaker["talk_count"] == PUBLIC_TALKS and speaker["url"] == f"{SITE}/speakers/sophie-perrusson"
    tag = checked("/api/v1/tags/robotique").get_json()
    assert tag == {"name": "robotique", "label": "#robotique", "talk_count": 3, "url": f"{SITE}/tags/robotique",
                   "api_url": f"{SITE}/api/v1/tags/robotique", "talks_api_url": f"{SITE}/api/v1/talks?tag=robotique"}
    assert checked("/api/v1/tags/Robotique").status_code == 301  # another spelling: the current address


@pytest.mark.parametrize(("query", "expected"), [
    ("event=journee-mediation", {0, 1, 2, 3, 4, 5, 6}), ("event=journee-brouillon", set()),
    ("speaker=julien", {0, 2, 4, 6}), ("speaker=brouillon", set()), ("tag=%23Robotique", {0, 1, 2}),
    ("tag=secret", set()), ("language=en", {0, 3, 6}), ("language=en&speaker=julien", {0, 6}),
    ("updated_since=2999-01-01T00:00:00Z", set()), ("updated_since=2000-01-01T00:00:00%2B02:00", set(range(7))),
])
def test_talk_filters(checked, archive, query, expected):
    found = _walk(checked, f"/api/v1/talks?{query}&limit=2")
    assert sorted(t["slug"] for t in found) == sorted(f"expose-{n}" for n in expected)


def test_updated_since_follows_changes(db, checked, archive):
    long_ago = datetime(2001, 1, 1, tzinfo=timezone.utc)
    db.session.execute(update(Talk).values(updated_at=long_ago))
    db.session.execute(update(Talk).where(Talk.slug == "expose-3").values(updated_at=long_ago + timedelta(days=9)))
    db.session.commit()
    since = quote((long_ago + timedelta(days=1)).isoformat())
    assert [t["slug"] for t in _walk(checked, f"/api/v1/talks?updated_since={since}")] == ["expose-3"]


def test_event_and_speaker_filters(checked, archive):
    assert [e["slug"] for e in _walk(checked, "/api/v1/events?tag=robotique")] == ["journee-mediation"]
    assert _walk(checked, "/api/v1/events?tag=cache") == []
    assert sorted(s["slug"] for s in _walk(checked, "/api/v1/speakers?event=journee-mediation")) == [
        "julien", "sophie-perrusson"]
    assert _walk(checked, "/api/v1/speakers?event=journee-brouillon") == []


@pytest.mark.parametrize(("query", "word"), [
    ("limit=0", "limit"), ("limit=201", "limit"), ("limit=abc", "limit"), ("limit=" + "9" * 5000, "limit"),
    ("cursor=abc", "cursor"), ("cursor=ZXZlbnQ6Mw", "cursor"), ("event=Not%20A%20Slug", "event"),
    ("speaker=-x", "speaker"), ("tag=%23%23%23", "tag"), ("language=french", "language"),
    ("updated_since=yesterday", "updated_since"), ("updated_since=2024-05-01T00:00:00%2025:00", "updated_since"),
    ("updated_since=0001-01-01T00:00:00%2B14:00", "updated_since"), ("limit=1&limit=2", "limit"),
])
def test_bad_parameters_are_a_json_400_saying_which(checked, archive, query, word):
    response = checked(f"/api/v1/talks?{query}")
    assert response.status_code == 400 and response.is_json
    assert response.get_json()["error"] == "Bad Request" and word in response.get_json()["message"]


def test_pagination_visits_every_public_talk_once_even_while_talks_are_added(db, checked, archive, make_talk):
    first = checked("/api/v1/talks?limit=3")
    assert first.get_json()["next"] == _links(first)["next"] and len(first.get_json()["items"]) == 3
    make_talk("Nouveau", slug="expose-nouveau", event=archive["event"])
    db.session.commit()
    rest = _walk(checked, _local(_links(first)["next"]))
    slugs = [t["slug"] for t in first.get_json()["items"] + rest]
    assert len(slugs) == len(set(slugs)) == PUBLIC_TALKS + 1
    assert "expose-brouillon" not in slugs and "expose-evenement-brouillon" not in slugs
    assert _links(first)["first"] == f"{SITE}/api/v1/talks?limit=3"


def test_links_come_from_site_url_and_keep_only_known_parameters(checked, archive):
    response = checked("/api/v1/talks?limit=2&language=fr&_external=0&_anchor=x", headers={"Host": "127.0.0.1"})
    assert _links(response)["next"].startswith(f"{SITE}/api/v1/talks?limit=2&language=fr&cursor=")
    assert "_anchor" not in response.headers["Link"]
    assert checked("/api/v1/talks?limit=2", headers={"Host": "evil.example"}).status_code == 400


def test_etag_and_304(checked, archive, db):
    first = checked("/api/v1/talks/expose-1")
    etag = first.headers["ETag"]
    again = checked("/api/v1/talks/expose-1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    listed = checked("/api/v1/talks")
    assert checked("/api/v1/talks", headers={"If-None-Match": listed.headers["ETag"]}).status_code == 304
    db.session.execute(update(Talk).where(Talk.slug == "expose-1").values(title="Nouveau titre"))
    db.session.commit()
    changed = checked("/api/v1/talks/expose-1", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


@pytest.mark.parametrize("path", ["/api/v1/talks", "/api/v1/events/journee-mediation", "/api/v1/search?q=x",
                                  "/api/v1/talks/expose-1/slides", "/api/v1/openapi.json"])
def test_any_site_may_read_without_credentials(client, archive, path):
    response = client.get(path, headers={"Origin": "https://library.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert {"ETag", "Link"} <= set(response.headers["Access-Control-Expose-Headers"].split(", "))
    preflight = client.options(path, headers={"Origin": "https://library.example",
                                              "Access-Control-Request-Method": "GET",
                                              "Access-Control-Request-Headers": "If-None-Match"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_uploads_get_no_cors_header(client, archive):
    response = client.post("/api/v1/talks/expose-1/slides", headers={"Origin": "https://library.example"})
    assert response.status_code == 401 and "Access-Control-Allow-Origin" not in response.headers
