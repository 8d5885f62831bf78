"""In Chromium, in French: an admin (an organiser who may also read the journal) changes an event and a
speaker, follows the dashboard's recent change to the speaker's workspace page, where the invitation
is a section of its own apart from the profile form, and reads the journal in words."""
import pytest

from tests.browser.test_accounts_and_names_browser import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def speaker(db, make_user, make_speaker, make_talk):
    make_user("admin", email="admin@example.org", password=PASSWORD)
    speaker = make_speaker("Léa Dupont", slug="lea-dupont")
    make_talk("Fablab en médiathèque", speakers=[speaker])
    db.session.commit()
    return speaker


def save(page) -> None:
    page.locator("form.edit-form button[type=submit]").click()
    page.wait_for_load_state()


def test_recent_changes_lead_to_the_record_and_the_journal_reads_in_words(page, speaker):
    log_in(page, "admin@example.org", "/manage/events/new")
    page.get_by_label("Titre", exact=True).fill("Journée des fablabs")
    page.get_by_label("Premier jour").fill("2026-11-20")
    page.get_by_label("Description (Markdown)").fill("Une **journée** d'ateliers.")
    save(page)
    page.goto(f"/manage/speakers/{speaker.id}/edit")
    page.get_by_label("Fonction").fill("Bibliothécaire")
    save(page)

    page.goto("/manage/")
    page.locator("#recent-changes ~ .changes").get_by_role("link", name="Léa Dupont").click()
    page.wait_for_url(f"**/manage/speakers/{speaker.id}/edit")
    assert page.get_by_label("Fonction").input_value() == "Bibliothécaire"
    _the_invitation_stands_apart_from_the_profile_form(page)

    page.goto("/manage/audit")
    row = page.get_by_role("row").filter(has_text="Journée des fablabs")
    changes = row.locator(".changes-list").inner_text()
    assert "Premier jour" in changes and "20 novembre 2026" in changes
    assert "Une journée d'ateliers." in changes and "<" not in changes and "start_date" not in changes
    row.get_by_role("link", name="Journée des fablabs").click()
    page.wait_for_url("**/manage/events/*/edit")
    assert page.get_by_label("Titre", exact=True).input_value() == "Journée des fablabs"
    assert page.problems.messages == [], page.problems.messages


def _the_invitation_stands_apart_from_the_profile_form(page) -> None:
    invite = page.get_by_role("region", name="Inviter l’intervenant·e")
    profile = page.locator("section.speaker-profile")
    assert invite.locator("form #invite-email").count() == 1 and invite.locator(".field__hint").is_visible()
    assert profile.locator("#invite-email").count() == 0 and invite.locator("#name").count() == 0
    assert profile.get_by_role("button").all_inner_texts() == ["Enregistrer"]
    assert invite.get_by_role("button").all_inner_texts() == ["Envoyer l’invitation"]
    profile_box, invite_box = profile.bounding_box(), invite.bounding_box()
    assert invite_box["y"] >= profile_box["y"] + profile_box["height"]  # under it, never inside
