"""axe-core in Chromium on every kind of page, public and workspace, in French and in English: no
violation of impact "serious" or "critical" (RGAA 4.1 follows WCAG 2.1 AA)."""
import io
from datetime import date
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import violations_of
from tests.browser.conftest import ACCOUNT_PASSWORD
from tests.transcripts.samples import SRT_FR
from webapp.accounts.password_reset import make_reset_token
from webapp.catalogue.operations.invitations import create_invitation
from webapp.paths.operations import add_talk, create_path, publish_path
from webapp.profile.photos import prepare_photo, set_speaker_photo
from webapp.slides.operations import attach_slides, process_pending_decks
from webapp.transcripts.operations import save_transcript

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]

PUBLIC_PAGES = [
    "/", "/events/", "/events/2016/", "/events/mednum-2016", "/talks/grainotheques", "/talks/sans-diapositives",
    "/speakers/", "/speakers/sophie-perrusson", "/tags/", "/tags/mednumsavoirs",
    "/search?q=grainoth%C3%A8ques", "/search?q=introuvablezzz", "/accessibilite",
    "/login", "/password/forgot", "/paths/", "/paths/parcours-semences", "/embed/talks/grainotheques",
]


def portrait() -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 320), (30, 110, 160)).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker, make_user, make_pdf, drain):
    """A study day with a talk with slides, a video and a transcript and one without, a speaker with
    a photo who keeps her profile, an organiser, and a pending invitation for another speaker.
    Returns the paths that need ids."""
    event = make_event("Médiation numérique des savoirs", slug="mednum-2016", start_date=date(2016, 10, 5),
                       place="INET, Strasbourg", tags=["mednumsavoirs"])
    sophie = make_speaker("Sophie Perrusson", slug="sophie-perrusson", headline="Bibliothécaire")
    talk = make_talk("Les grainothèques partagées", slug="grainotheques", event=event, speakers=[sophie],
                     tags=["mednumsavoirs"], summary="<p>Des semences en bibliothèque.</p>", position=1,
                     video_url="https://framatube.org/w/217eefeb-883d-45be-b7fc-a788ad8507d3")
    save_transcript(talk, "fr", io.BytesIO(SRT_FR.encode()), "grainotheques.srt", None)
    make_talk("Sans diapositives", slug="sans-diapositives", event=event, position=2,
              speakers=[make_speaker("Anne Martin", slug="anne-martin")])
    attach_slides(talk, io.BytesIO(make_pdf("Bienvenue", "Les grainothèques partagées", "Merci")), "deck.pdf",
                  None, "CC-BY-4.0")
    set_speaker_photo(None, sophie, prepare_photo(portrait()))
    sophie.owners.append(make_user("speaker", email="sophie@example.org", password=ACCOUNT_PASSWORD))
    organiser = make_user("organiser", email="orga@example.org", password=ACCOUNT_PASSWORD)
    invitation = create_invitation(None, make_speaker("Paul Ricard", slug="paul-ricard"), "paul@example.org")
    path = create_path(organiser, "Parcours semences", "Des **semences** en bibliothèque.")
    add_talk(organiser, path, talk, note="Pour commencer.")
    publish_path(organiser, path)
    db.session.commit()
    process_pending_decks()
    drain()
    return {"claim": f"/claim/{invitation}", "reset": f"/password/reset/{make_reset_token(organiser)}",
            "event": event.id, "talk": talk.id, "speaker": sophie.id, "path": path.id}


def workspace_pages(ids: dict) -> list[str]:
    return ["/manage/", "/manage/events/", "/manage/events/new", f"/manage/events/{ids['event']}/edit",
            f"/manage/talks/{ids['talk']}/edit", f"/manage/speakers/{ids['speaker']}/edit",
            f"/manage/talks/{ids['talk']}/slides", f"/manage/events/{ids['event']}/programme",
            "/manage/paths/", f"/manage/paths/{ids['path']}/edit"]


def log_in(page, email: str, path: str) -> None:
    page.goto(path)  # the login form, which comes back to path
    page.fill("#email", email)
    page.fill("#password", ACCOUNT_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def read_in(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])


def report(violations: list[str]) -> str:
    return "serious or critical accessibility violations:\n" + "\n".join(violations)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_pages_have_no_serious_violation(page, live_server, archive, language):
    read_in(page, live_server, language)
    page.problems.allow("HTTP 404", "status of 404")  # the not-found pages, on purpose
    violations = []
    for path in [*PUBLIC_PAGES, "/nowhere-to-be-found", archive["claim"], archive["reset"]]:
        violations += violations_of(page, path)
        assert page.locator("html").get_attribute("lang") == language
    assert violations == [], report(violations)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_workspace_and_profile_pages_have_no_serious_violation(page, live_server, archive, language):
    read_in(page, live_server, language)
    log_in(page, "orga@example.org", "/manage/")
    violations = []
    for path in workspace_pages(archive):
        violations += violations_of(page, path)
    page.context.clear_cookies()
    read_in(page, live_server, language)
    log_in(page, "sophie@example.org", "/profile/sophie-perrusson")
    for path in ["/profile/sophie-perrusson", "/profile/"]:
        violations += violations_of(page, path)
    assert violations == [], report(violations)
