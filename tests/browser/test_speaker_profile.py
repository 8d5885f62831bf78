"""In Chromium: an invited speaker opens the link, creates the account, edits the bio with the live
preview, uploads a photo and the slides of her talk, and sees them on the public page."""

import pytest
from PIL import Image

from tests.browser.conftest import other_page
from tests.browser.csp import wait_until_true
from tests.browser.test_slides_browser import drop_and_upload, process_uploaded_deck
from webapp.catalogue.operations.invitations import create_invitation

pytestmark = pytest.mark.browser
PASSWORD = "a long enough passphrase"


@pytest.fixture
def invitation_path(db, make_speaker, make_talk):
    speaker = make_speaker("Sophie Perrusson", slug="sophie-perrusson")
    make_talk("Des blogs thématiques en bibliothèque", slug="blogs", speakers=[speaker])
    token = create_invitation(None, speaker, "sophie@example.org")
    db.session.commit()
    return "/claim/" + token


@pytest.fixture
def portrait(tmp_path):
    path = tmp_path / "portrait.jpg"
    Image.new("RGB", (640, 480), (30, 110, 160)).save(path, "JPEG")
    return path


def test_invited_speaker_claims_and_edits_her_profile(page, live_server, invitation_path, portrait, make_pdf, db,
                                                      drain):
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page.goto(invitation_path)
    assert "sophie@example.org" in page.inner_text("main")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password, again", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account and claim the profile").click()
    page.wait_for_url("**/profile/sophie-perrusson")

    page.get_by_label("Biography (Markdown)").fill("Librarian who loves **blogs**.\n\n<script>alert(1)</script>")
    wait_until_true(
        page, "document.querySelector('[data-preview-output]').innerHTML.includes('<strong>blogs</strong>')")
    assert "<script" not in page.inner_html("[data-preview-output]")
    page.get_by_label("Photo (JPEG, PNG or WebP)").set_input_files(str(portrait))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Your profile was saved." in page.inner_text("main")
    assert page.locator("img[data-current-photo]").evaluate("img => img.naturalWidth") == 256

    page.get_by_role("link", name="Upload or replace the slides").click()
    drop_and_upload(page, make_pdf("Bienvenue", "Bilan chiffré des blogs", "Merci"))
    process_uploaded_deck(db)

    public = other_page(page)  # checked with the organiser's, after the test
    visitor = public.context
    public.goto("/speakers/sophie-perrusson")
    photo = public.locator("img.speaker__photo")
    assert photo.get_attribute("alt") and photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "blogs" in public.inner_text("main .prose")
    public.get_by_role("link", name="Des blogs thématiques en bibliothèque").first.click()
    assert public.locator(".slide-viewer__thumb img").count() == 3
    drain()
    public.goto("/search?q=bilan+chiffre")  # the word of slide 2, typed without its accent
    public.click(".search-result__slide a")
    public.wait_for_url("**#slide-2")
    visitor.close()
    assert page.problems.messages == [], page.problems.messages
