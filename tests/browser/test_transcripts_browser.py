"""In Chromium: an organiser uploads a transcript through the talk's workspace page, sees it on the
talk page, and clicks a moment: without a video it goes to the cue; with the video facade
(video_player.js) the player is loaded at that moment through a `causeries:seek` event."""
import io

import pytest

from tests.browser.csp import wait_until_true
from tests.transcripts.samples import SRT_FR
from webapp.transcripts.operations import save_transcript

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
YOUTUBE_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FAKE_PLAYER = "<!doctype html><title>player</title><p>Fake player</p>"


@pytest.fixture
def organiser(db, make_user):
    user = make_user("organiser", email="organisatrice@example.org", password=PASSWORD)
    db.session.commit()
    return user


def log_in_through(page, path: str) -> None:
    page.goto(path)
    page.fill("#email", "organisatrice@example.org")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"**{path}")


def upload_through_the_workspace(page, talk) -> None:
    log_in_through(page, f"/manage/talks/{talk.id}/edit")
    page.set_input_files("#transcript-file", files=[{"name": "journée.srt", "mimeType": "application/x-subrip",
                                                     "buffer": SRT_FR.encode("utf-8")}])
    page.select_option("#transcript-language", "fr")
    page.click("form.transcript-upload button[type=submit]")
    page.wait_for_url(f"**/manage/talks/{talk.id}/edit#transcripts")
    row = page.locator('[data-transcript-row="fr"]')
    assert "journée.srt" in row.inner_text() and "4" in row.inner_text()


def test_an_uploaded_transcript_is_read_on_the_talk_page_and_a_moment_goes_to_its_cue(
        page, live_server, db, make_talk, organiser):
    talk = make_talk("Le fablab de la médiathèque", slug="fablab", language="fr")
    db.session.commit()
    upload_through_the_workspace(page, talk)
    page.goto("/talks/fablab")
    cue = page.locator('[id="t=754"]')
    assert "xylophone en carton" in cue.inner_text()
    assert cue.is_visible()  # a single transcript is open
    cue.locator("a.transcript__time").click()
    wait_until_true(page, "window.location.hash === '#t=754'")
    wait_until_true(page, "document.getElementById('t=754').classList.contains('is-current')")
    page.evaluate("document.querySelector('details.transcript').open = false")
    page.goto("/talks/fablab#t=3724")  # no cue starts then: the one being said opens and is shown
    wait_until_true(page, "document.getElementById('t=3723').classList.contains('is-current')")
    assert page.locator('[id="t=3723"]').is_visible()


def test_a_moment_loads_the_video_player_there(page, live_server, db, make_talk):
    talk = make_talk("Atelier vidéo", slug="atelier-video", video_url=YOUTUBE_URL)
    save_transcript(talk, "fr", io.BytesIO(SRT_FR.encode()), "atelier.srt", None)
    db.session.commit()
    asked: list[str] = []

    def fulfil(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=FAKE_PLAYER)

    page.route("https://www.youtube-nocookie.com/**", fulfil)
    page.problems.allow("third-party request: https://www.youtube-nocookie.com/")  # once the moment is clicked
    page.goto("/talks/atelier-video")
    page.locator("[data-video-player] [data-video-facade]").wait_for()
    seen = page.evaluate("""() => new Promise(resolve => {
      document.querySelector('[data-video-player]').addEventListener('causeries:seek',
        event => resolve(event.detail.seconds), { once: true });
      document.querySelector('[id="t=754"] a').click();
    })""")
    assert seen == 754
    frame = page.locator("[data-video-player] iframe")
    frame.wait_for()
    assert "754" in frame.get_attribute("src")
    assert page.evaluate("window.location.hash") == "#t=754"
