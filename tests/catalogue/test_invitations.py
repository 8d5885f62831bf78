"""Invitations to claim a speaker profile: valid, expired, reused, forged, wrong account; CLI; the mail."""
import email
import email.policy
import re
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from werkzeug.security import check_password_hash

from webapp.catalogue.operations import invitations
from webapp.core.i18n import format_day
from webapp.models import AuditEntry, Role, SpeakerInvitation, User
from webapp.models._base import utcnow

PASSWORD = "a long enough passphrase"


@pytest.fixture
def app_config(tmp_path):
    return {"MAIL_DIR": str(tmp_path / "mail"), "SITE_URL": "https://archive.example.org"}


@pytest.fixture
def speaker(db, make_speaker, make_talk):
    speaker = make_speaker("Léa Dupont", slug="lea-dupont")
    make_talk("Médiation numérique en bibliothèque", speakers=[speaker])
    db.session.commit()
    return speaker


@pytest.fixture
def invite(db, speaker):
    """invite(email) -> the claim path of a fresh invitation to speaker (committed)."""
    def make(email="lea@example.org"):
        token = invitations.create_invitation(None, speaker, email)
        db.session.commit()
        return "/claim/" + token

    return make


def claim_page(client, path):
    client.set_cookie("lang", "en")
    return client.get(path)


def create_account(client, csrf_token, path, password=PASSWORD, confirmation=None):
    token = csrf_token(path)
    return client.post(path, data={"password": password, "confirmation": confirmation or password,
                                   "csrf_token": token})


def owners_of(db, speaker):
    db.session.expire_all()
    return [user.email for user in speaker.owners]


def test_a_new_visitor_creates_a_speaker_account_and_is_logged_in(db, client, csrf_token, invite, speaker):
    path = invite("Lea@Example.org")
    page = claim_page(client, path)
    assert page.status_code == 200
    assert "lea@example.org" in page.get_data(as_text=True)
    response = create_account(client, csrf_token, path)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/profile/lea-dupont")
    user = db.session.scalar(db.select(User).where(User.email == "lea@example.org"))
    assert user.role == Role.SPEAKER and check_password_hash(user.password_hash, PASSWORD)
    assert owners_of(db, speaker) == ["lea@example.org"]
    assert client.get("/profile/lea-dupont").status_code == 200  # logged in as the new account


def test_the_claim_is_audited_and_marks_the_invitation_used(db, client, csrf_token, invite, speaker):
    create_account(client, csrf_token, invite())
    invitation = db.session.scalar(db.select(SpeakerInvitation))
    assert invitation.used_at is not None and invitation.used_by.email == "lea@example.org"
    actions = {(e.action, e.object_id) for e in db.session.scalars(db.select(AuditEntry))}
    assert {("invite", speaker.id), ("claim", speaker.id)} <= actions


def test_only_a_hash_of_the_nonce_is_stored(db, invite):
    path = invite()
    nonce = invitations._serializer().loads(path.rsplit("/", 1)[1])["nonce"]
    stored = db.session.scalar(db.select(SpeakerInvitation))
    assert stored.nonce_hash == invitations.hash_nonce(nonce) and nonce not in stored.nonce_hash


def test_password_rules_apply_and_nothing_is_half_stored(db, client, csrf_token, invite, speaker):
    path = invite()
    response = create_account(client, csrf_token, path, password="short")
    assert response.status_code == 400
    assert db.session.scalar(db.select(User).where(User.email == "lea@example.org")) is None
    assert create_account(client, csrf_token, path, confirmation="another long passphrase").status_code == 400
    assert owners_of(db, speaker) == []
    assert create_account(client, csrf_token, path).status_code == 303  # still usable afterwards


def test_a_short_password_is_explained_in_words(db, client, csrf_token, invite):
    path = invite()
    claim_page(client, path)
    page = create_account(client, csrf_token, path, password="short").get_data(as_text=True)
    assert "This password has 5 characters, which is too short: choose one of at least 10." in page
    assert "Field must be between" not in page
    page = create_account(client, csrf_token, path, confirmation="another long passphrase").get_data(as_text=True)
    assert "The two passwords differ: type the same password twice." in page


def test_a_used_link_is_refused_with_a_clear_page(db, client, csrf_token, invite):
    path = invite()
    create_account(client, csrf_token, path)
    client.delete_cookie("session")  # a visitor who is not logged in
    again = claim_page(client, path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)


def test_an_expired_link_is_refused(db, client, invite):
    path = invite()
    invitation = db.session.scalar(db.select(SpeakerInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = claim_page(client, path)
    assert response.status_code == 410
    assert "has expired" in response.get_data(as_text=True)
    assert "Ask the organisers" in response.get_data(as_text=True)


def test_links_expire_after_fourteen_days_by_default(db, invite):
    invite()
    invitation = db.session.scalar(db.select(SpeakerInvitation))
    assert timedelta(days=13, hours=23) < invitation.expires_at - invitation.created_at <= timedelta(days=14)


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # signature
    lambda token: "x" + token,  # payload
    lambda token: token.split(".")[0],  # no signature at all
    lambda token: "not-a-token",
])
def test_forged_or_tampered_links_are_refused(db, client, invite, tamper):
    path = invite()
    response = claim_page(client, "/claim/" + tamper(path.rsplit("/", 1)[1]))
    assert response.status_code == 404
    assert "not valid" in response.get_data(as_text=True)


def test_a_validly_signed_token_with_a_wrong_nonce_is_refused(db, client, invite, app):
    path = invite()
    invitation_id = db.session.scalar(db.select(SpeakerInvitation.id))
    forged = invitations._serializer().dumps({"id": invitation_id, "nonce": "guessed"})
    assert claim_page(client, "/claim/" + forged).status_code == 404
    assert claim_page(client, path).status_code == 200


def test_another_logged_in_account_is_refused(db, client, invite, make_user, login_as, speaker):
    path = invite("lea@example.org")
    intruder = make_user("speaker", email="someone.else@example.org")
    db.session.commit()
    login_as(intruder)
    response = claim_page(client, path)
    assert response.status_code == 403
    assert "Log out" in response.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert client.post(path, data={"csrf_token": token}).status_code == 403
    assert owners_of(db, speaker) == []


def test_a_logged_in_account_with_the_invited_email_attaches_the_profile(db, client, invite, make_user,
                                                                         login_as, speaker, csrf_token):
    user = make_user("speaker", email="lea@example.org")
    db.session.commit()
    path = invite("lea@example.org")
    login_as(user)
    page = claim_page(client, path)
    assert page.status_code == 200 and "Claim the profile" in page.get_data(as_text=True)
    assert owners_of(db, speaker) == []  # GET changes nothing
    response = client.post(path, data={"csrf_token": csrf_token(path)})
    assert response.status_code == 303
    assert owners_of(db, speaker) == ["lea@example.org"]


def test_an_existing_account_not_logged_in_is_asked_to_log_in_and_come_back(db, client, invite, make_user,
                                                                           post_login, speaker, csrf_token):
    make_user("speaker", email="lea@example.org", password="correct horse battery")
    db.session.commit()
    path = invite()
    page = claim_page(client, path).get_data(as_text=True)
    assert f"/login?next={path.replace('/', '%2F')}" in page or f"/login?next={path}" in page
    response = post_login("lea@example.org", "correct horse battery", next=path)
    assert response.headers["Location"].endswith(path)
    client.post(path, data={"csrf_token": csrf_token(path)})
    assert owners_of(db, speaker) == ["lea@example.org"]


def test_a_link_without_csrf_token_changes_nothing(db, client, invite, speaker):
    path = invite()
    response = client.post(path, data={"password": PASSWORD, "confirmation": PASSWORD})
    assert response.status_code == 400
    assert owners_of(db, speaker) == []


def test_organisers_invite_from_the_speaker_page_and_a_mail_is_filed(db, manage_client, speaker, submit_form,
                                                                     tmp_path):
    client, organiser = manage_client()
    page = f"/manage/speakers/{speaker.id}/edit"
    response = submit_form(client, page, {"email": "lea@example.org"}, action=f"/manage/speakers/{speaker.id}/invite")
    assert response.status_code == 302
    mails = list((tmp_path / "mail").glob("*.eml"))
    assert len(mails) == 1
    body = mails[0].read_bytes().decode("utf-8", "replace")
    assert "lea@example.org" in body
    assert "https://archive.example.org/claim/" in body.replace("=\n", "")
    assert "lea@example.org" in client.get(page).get_data(as_text=True)  # listed as waiting


def test_the_invite_form_refuses_a_bad_address(db, manage_client, speaker, submit_form):
    client, _organiser = manage_client()
    page = f"/manage/speakers/{speaker.id}/edit"
    response = submit_form(client, page, {"email": "not an address"}, action=f"/manage/speakers/{speaker.id}/invite")
    assert response.status_code == 422
    assert db.session.scalar(db.select(SpeakerInvitation)) is None


def test_the_cli_prints_a_working_link(db, app, runner, client, csrf_token, speaker):
    result = runner.invoke(args=["speakers", "invite", "lea-dupont", "lea@example.org", "--no-mail"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("https://archive.example.org/claim/")
    path = link.removeprefix("https://archive.example.org")
    assert claim_page(client, path).status_code == 200
    assert create_account(client, csrf_token, path).status_code == 303
    assert owners_of(db, speaker) == ["lea@example.org"]


def test_the_cli_refuses_an_unknown_speaker(runner, db):
    result = runner.invoke(args=["speakers", "invite", "nobody", "lea@example.org"])
    assert result.exit_code != 0 and "No speaker" in result.output


def filed_mails(tmp_path) -> list[email.message.EmailMessage]:
    paths = sorted((tmp_path / "mail").glob("*.eml"))
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths]


def french_day(app, moment) -> str:
    with app.test_request_context(), force_locale("fr"):
        return format_day(moment, "long")


def test_the_mail_names_who_invites_the_profile_its_talks_and_until_when_the_link_works(
        db, app, manage_client, speaker, make_talk, make_event, tmp_path, csrf_token):
    make_talk("Fablab et tiers-lieux", speakers=[speaker], given_on=date(2026, 11, 20),
              event=make_event("Rencontres numériques de Lyon"))
    db.session.commit()
    client, organiser = manage_client()  # reads the workspace in English
    page = f"/manage/speakers/{speaker.id}/edit"
    response = client.post(f"/manage/speakers/{speaker.id}/invite",
                           data={"email": "lea@example.org", "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    [mail] = filed_mails(tmp_path)
    body = mail.get_body().get_content()
    assert mail["Subject"] == "Votre profil d’intervenant·e sur Causeries" and body.startswith("Bonjour,")
    assert organiser.email in body and "Léa Dupont" in body
    assert "- Médiation numérique en bibliothèque (Journée d'étude" in body and ", 5 octobre 2016)" in body
    assert "- Fablab et tiers-lieux (Rencontres numériques de Lyon, 20 novembre 2026)" in body
    assert body.index("Médiation numérique") < body.index("Fablab")  # in the order they were given
    invitation = db.session.scalar(db.select(SpeakerInvitation))
    assert french_day(app, invitation.expires_at) in body
    [link] = re.findall(r"\S+/claim/\S+", body)
    assert link.startswith("https://archive.example.org/claim/")  # SITE_URL, not the Host header
    assert "localhost" not in body  # the host the test client sends


def test_the_cli_mail_comes_from_the_organisers_and_lists_the_talks(db, runner, speaker, tmp_path):
    result = runner.invoke(args=["speakers", "invite", "lea-dupont", "lea@example.org"])
    assert result.exit_code == 0, result.output
    [mail] = filed_mails(tmp_path)
    body = mail.get_body().get_content()
    assert body.startswith("Bonjour,") and "Léa Dupont" in body
    assert "- Médiation numérique en bibliothèque (" in body
    assert result.output.strip().splitlines()[-1] in body


def unreachable_mail_server(app) -> None:
    """A real SMTP connection to a loopback port nobody listens on: refused at once."""
    from stats_server import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    state = app.extensions["mail"]  # Flask-Mail read its settings at start, and suppresses mail in tests
    state.server, state.port, state.timeout, state.suppress = "127.0.0.1", app.config["MAIL_PORT"], 2, False


def test_a_mail_server_that_fails_is_said_and_the_invitation_is_kept_unsent(app, db, manage_client, speaker,
                                                                           submit_form):
    """The invitation is committed before the mail goes: a failed mail says so (it used to say
    "sent"), and a new invitation can be sent once the server works."""
    unreachable_mail_server(app)
    client, _organiser = manage_client()
    page = f"/manage/speakers/{speaker.id}/edit"
    client.set_cookie("lang", "en")
    response = submit_form(client, page, {"email": "lea@example.org"}, action=f"/manage/speakers/{speaker.id}/invite")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not be sent" in shown and "was sent to" not in shown
    assert db.session.scalar(db.select(SpeakerInvitation)).email == "lea@example.org"


def test_the_cli_prints_the_link_when_the_mail_fails_and_exits_non_zero(app, db, runner, speaker):
    unreachable_mail_server(app)
    result = runner.invoke(args=["speakers", "invite", "lea-dupont", "lea@example.org"])
    assert result.exit_code == 1
    assert "https://archive.example.org/claim/" in result.output and "could not be sent" in result.output
