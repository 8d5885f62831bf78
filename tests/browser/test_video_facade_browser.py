"""The talk page's video player in Chromium: nothing goes to the provider until the visitor asks
(every request is recorded), then video_player.js puts the provider's player in place of our
button, which the page's Content-Security-Policy lets it frame. The providers are answered by a
fake player (page.route), so nothing leaves the machine."""
from urllib.parse import urlsplit

import pytest

from tests.browser.csp import wait_until_true

pytestmark = pytest.mark.browser

PEERTUBE_URL = "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv"
PEERTUBE_PLAYER = "https://framatube.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?p2p=0"
YOUTUBE_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
YOUTUBE_PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
FAKE_PLAYER = "<!doctype html><title>player</title><p>Fake player</p>"
FACADE = "[data-video-player] [data-video-facade]"
FRAME = "[data-video-player] iframe"


def record_requests(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def answer_with_a_fake_player(page, host: str) -> list[str]:
    """Every request to https://host/ gets FAKE_PLAYER; returns the addresses asked for."""
    asked: list[str] = []

    def fulfil(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=FAKE_PLAYER)

    page.route(f"https://{host}/**", fulfil)
    page.problems.allow(f"third-party request: https://{host}/")  # the player the test loads
    return asked


def hosts_of(urls: list[str]) -> set[str]:
    return {urlsplit(url).netloc for url in urls}


def talk_with_video(db, make_talk, title: str, video_url: str):
    talk = make_talk(title, video_url=video_url)
    db.session.commit()
    return f"/talks/{talk.slug}"


def frame_policy(response) -> str:
    policy = dict(part.split(" ", 1) for part in response.headers["content-security-policy"].split("; "))
    return policy.get("frame-src", "")


def test_a_peertube_player_loads_only_when_clicked(page, live_server, db, make_talk):
    path = talk_with_video(db, make_talk, "Fablab en médiathèque", PEERTUBE_URL)
    requests = record_requests(page)
    asked = answer_with_a_fake_player(page, "framatube.org")
    response = page.goto(path)
    assert frame_policy(response) == "https://framatube.org"
    facade = page.locator(FACADE)
    facade.wait_for()  # video_player.js shows the facade
    assert "PeerTube (framatube.org)" in facade.inner_text()
    assert page.locator("iframe").count() == 0
    page.wait_for_load_state("networkidle")
    assert hosts_of(requests) == {urlsplit(live_server).netloc}, requests  # nothing to any other host
    facade.click()
    frame = page.locator(FRAME)
    frame.wait_for()
    assert frame.get_attribute("src") == PEERTUBE_PLAYER
    assert "Fablab en médiathèque" in frame.get_attribute("title")
    assert frame.get_attribute("allow") == "fullscreen"
    assert frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert frame.get_attribute("loading")
    assert page.evaluate("() => document.activeElement.tagName") == "IFRAME"
    frame.element_handle().content_frame().wait_for_selector("text=Fake player")
    assert asked == [PEERTUBE_PLAYER]
    assert page.locator(FACADE).count() == 0


def test_a_youtube_player_opens_from_the_keyboard(page, live_server, db, make_talk):
    path = talk_with_video(db, make_talk, "Médiation numérique", YOUTUBE_URL)
    requests = record_requests(page)
    asked = answer_with_a_fake_player(page, "www.youtube-nocookie.com")
    page.goto(path)
    page.locator(FACADE).wait_for()
    page.wait_for_load_state("networkidle")
    assert hosts_of(requests) == {urlsplit(live_server).netloc}, requests
    for _ in range(60):  # Tab from the top of the page until the facade has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-video-facade')"):
            break
    else:
        raise AssertionError("Tab never reached the video facade")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"  # visible focus
    page.keyboard.press("Enter")
    frame = page.locator(FRAME)
    frame.wait_for()
    assert frame.get_attribute("src") == YOUTUBE_PLAYER
    assert page.evaluate("() => document.activeElement.tagName") == "IFRAME"
    frame.element_handle().content_frame().wait_for_selector("text=Fake player")
    assert asked == [YOUTUBE_PLAYER]


def test_another_script_seeks_with_the_seek_event(page, db, make_talk):
    path = talk_with_video(db, make_talk, "Tiers-lieux", YOUTUBE_URL)
    asked = answer_with_a_fake_player(page, "www.youtube-nocookie.com")
    page.goto(path)
    page.locator(FACADE).wait_for()
    page.evaluate("""() => document.querySelector("[data-video-player]").dispatchEvent(
        new CustomEvent("causeries:seek", { detail: { seconds: 754 } }))""")
    page.locator(FRAME).wait_for()
    assert page.locator(FRAME).get_attribute("src") == f"{YOUTUBE_PLAYER}?start=754"
    page.locator(FRAME).element_handle().content_frame().wait_for_selector("text=Fake player")
    page.evaluate("() => window.causeriesVideo.seek(90.6)")  # a loaded player is loaded again there
    wait_until_true(page, f"document.querySelector('{FRAME}').src === '{YOUTUBE_PLAYER}?start=90'")
    assert page.locator(FRAME).count() == 1
    page.locator(FRAME).element_handle().content_frame().wait_for_selector("text=Fake player")
    assert asked == [f"{YOUTUBE_PLAYER}?start=754", f"{YOUTUBE_PLAYER}?start=90"]


def test_only_the_talk_page_may_frame_the_player(page, db, make_talk):
    path = talk_with_video(db, make_talk, "Fablab", PEERTUBE_URL)
    assert frame_policy(page.goto(path)) == "https://framatube.org"
    assert frame_policy(page.goto("/")) == ""
    assert "frame-src" not in page.goto("/").headers["content-security-policy"]


def test_without_script_the_video_is_a_plain_link(browser, live_server, db, make_talk):
    path = talk_with_video(db, make_talk, "Sans script", PEERTUBE_URL)
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        requests = record_requests(page)
        page.goto(path)
        assert page.locator(FACADE).is_hidden()
        assert page.locator(".media a[href]").get_attribute("href") == PEERTUBE_URL
        assert hosts_of(requests) == {urlsplit(live_server).netloc}
    finally:
        context.close()
