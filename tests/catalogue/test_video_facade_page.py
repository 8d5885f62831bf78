"""The talk page's video: a click-to-load facade that loads nothing from the provider, and a
Content-Security-Policy that lets that page alone frame that provider's player."""
import pytest
from lxml import html as lxml_html

from webapp.core.security_headers import CONTENT_SECURITY_POLICY, allow_frame_sources
from webapp.models import Status

pytestmark = pytest.mark.usefixtures("compiled_translations")
EN = {"Accept-Language": "en"}
PEERTUBE_URL = "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv?start=1m"


def directives(policy: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in policy.split("; "))


def talk_page(client, talk):
    response = client.get(f"/talks/{talk.slug}", headers=EN)
    assert response.status_code == 200
    return response, lxml_html.fromstring(response.get_data(as_text=True))


def test_a_peertube_talk_gets_a_facade_and_a_frame_source_for_its_instance_only(db, client, make_talk):
    talk = make_talk("Fablab en médiathèque", video_url=PEERTUBE_URL)
    db.session.commit()
    response, doc = talk_page(client, talk)
    policy = response.headers["Content-Security-Policy"]
    assert directives(policy)["frame-src"] == "https://framatube.org"
    assert policy.startswith(CONTENT_SECURITY_POLICY)
    [player] = doc.xpath("//*[@data-video-player]")
    assert player.get("hidden") is not None  # shown by video_player.js; without it, the link only
    assert player.get("data-player-src") == (
        "https://framatube.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?p2p=0&start=60")
    assert player.get("data-embed-src") == "https://framatube.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?p2p=0"
    assert player.get("data-start-style") == "query"
    assert player.get("data-frame-title") == "Video: Fablab en médiathèque"
    [button] = player.xpath(".//button[@type='button'][@data-video-facade]")
    assert " ".join(button.text_content().split()) == (
        "Play the video on PeerTube (framatube.org) Playing it loads that site's player, which may set cookies.")
    assert doc.xpath("//section[@class='media']//a/@href") == [PEERTUBE_URL]  # the plain link stays
    # nothing on the page loads from elsewhere before a click
    assert doc.xpath("//iframe") == []
    loaded = doc.xpath("//script/@src | //img/@src | //link[@rel='stylesheet']/@href | //source/@src")
    assert loaded and all(src.startswith("/") for src in loaded), loaded
    assert "/static/js/video_player.js" in doc.xpath("//script/@src")


def test_a_youtube_talk_may_frame_youtube_nocookie_only(db, client, make_talk):
    talk = make_talk(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    db.session.commit()
    response, doc = talk_page(client, talk)
    assert directives(response.headers["Content-Security-Policy"])["frame-src"] == "https://www.youtube-nocookie.com"
    [player] = doc.xpath("//*[@data-video-player]")
    assert player.get("data-player-src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert "Play the video on YouTube (youtube.com)" in player.text_content()


@pytest.mark.parametrize("video_url", [None, "https://example.org/talk.mp4",
                                       "https://youtube.com.evil.org/watch?v=dQw4w9WgXcQ",
                                       "https://www.canal-u.tv/chaines/cnum/le-numerique-et-l-ecole"])
def test_other_talks_keep_the_plain_link_and_the_usual_policy(db, client, make_talk, video_url):
    talk = make_talk(video_url=video_url)
    db.session.commit()
    response, doc = talk_page(client, talk)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert doc.xpath("//*[@data-video-player]") == []
    assert "/static/js/video_player.js" not in doc.xpath("//script/@src")
    assert doc.xpath("//section[@class='media']//a/@href") == ([video_url] if video_url else [])


def test_other_pages_of_the_archive_frame_nothing_new(db, client, make_talk):
    talk = make_talk(video_url=PEERTUBE_URL, tags=["mednumsavoirs"])
    db.session.commit()
    for path in ("/", f"/events/{talk.event.slug}", "/tags/mednumsavoirs", "/talks/"):
        response = client.get(path, headers=EN)
        assert "frame-src" not in response.headers["Content-Security-Policy"], path


def test_the_draft_preview_frames_the_player_as_the_public_page_will(db, client, make_talk, make_user, login_as):
    talk = make_talk(video_url="https://vimeo.com/76979871", status=Status.DRAFT)
    login_as(make_user("organiser"))
    response = client.get(f"/manage/talks/{talk.id}/preview", headers=EN)
    assert response.status_code == 200
    assert directives(response.headers["Content-Security-Policy"])["frame-src"] == "https://player.vimeo.com"
    assert b'data-player-src="https://player.vimeo.com/video/76979871?dnt=1"' in response.data


@pytest.mark.parametrize("origin", ["http://framatube.org", "https://framatube.org; script-src *", "*",
                                    "https://evil.org\r\nX-Injected: 1", "'unsafe-inline'", "https://"])
def test_only_plain_https_origins_may_be_added_to_the_policy(app, origin):
    with app.test_request_context("/"), pytest.raises(ValueError):
        allow_frame_sources(origin)
