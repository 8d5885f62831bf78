"""Password reset: the same answer for every email, a signed link that expires and works once."""
import email
import logging
import re
import time
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.security import check_password_hash

from webapp.accounts import password_reset
from webapp.models import User

pytestmark = pytest.mark.usefixtures("english_ui")

NEW_PASSWORD = "a brand new passphrase"
SENT = "If an account exists for this email, we have sent it a link"


@pytest.fixture
def app_config(tmp_path):
    return {"MAIL_DIR": str(tmp_path / "mail"), "SITE_URL": "https://causeries.example"}


@pytest.fixture
def organiser(db, make_user):
    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    return user


@pytest.fixture
def ask_for_link(client, csrf_token):
    def ask(email, **kwargs):
        data = {"email": email, "csrf_token": csrf_token("/password/forgot")}
        response = client.post("/password/forgot", data=data, **kwargs)
        response.get_data()
        response.close()  # as a server does once the response is written: the mail leaves then
        return response

    return ask


def mails(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))


def body_of(mail_file: Path) -> str:
    return email.message_from_bytes(mail_file.read_bytes()).get_payload(decode=True).decode("utf-8")


def link_in_output(output: str) -> str:
    return re.search(r"https://causeries\.example(/password/reset/\S+)", output).group(1)


def choose_password(client, csrf_token, path, password=NEW_PASSWORD, confirmation=None):
    data = {"password": password, "confirmation": confirmation or password, "csrf_token": csrf_token(path)}
    return client.post(path, data=data)


def test_known_and_unknown_emails_get_the_same_answer(app, organiser, ask_for_link, capsys):
    known = ask_for_link("orga@example.org")
    unknown = ask_for_link("nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert SENT in known.get_data(as_text=True) and SENT in unknown.get_data(as_text=True)
    assert len(mails(app)) == 1
    output = capsys.readouterr().out
    assert "To: orga@example.org" in output and "nobody@example.org" not in output


def test_the_link_is_built_from_site_url_not_the_host_header(app, organiser, client, capsys):
    assert client.get("/password/forgot", headers={"Host": "evil.example"}).status_code == 400
    evil = {"Host": "localhost:5000"}  # a name the site answers to, but not SITE_URL's
    page = client.get("/password/forgot", headers=evil).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/password/forgot", data={"email": "orga@example.org", "csrf_token": token},
                           headers=evil)
    assert response.status_code == 200
    response.close()  # the mail leaves once the response is written
    output = capsys.readouterr().out
    assert "evil.example" not in output and "localhost" not in output
    assert link_in_output(output).startswith("/password/reset/")
    assert "https://causeries.example/password/reset/" in body_of(mails(app)[0])


def test_the_link_sets_a_new_password_once(db, organiser, ask_for_link, client, csrf_token, capsys):
    ask_for_link("orga@example.org")
    path = link_in_output(capsys.readouterr().out)
    assert client.get(path).status_code == 200
    response = choose_password(client, csrf_token, path)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert check_password_hash(db.session.get(User, organiser.id).password_hash, NEW_PASSWORD)
    again = client.get(path)
    assert again.status_code == 400 and "no longer works" in again.get_data(as_text=True)
    assert again.headers["Referrer-Policy"] == "no-referrer"


def test_a_new_password_ends_the_sessions_opened_before(app, db, organiser, ask_for_link, client,
                                                       csrf_token, capsys):
    from webapp.accounts.sessions import start_user_session

    other_browser = app.test_client()
    start_user_session(organiser)
    db.session.commit()
    with other_browser.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
    assert other_browser.get("/manage/").status_code == 200
    ask_for_link("orga@example.org")
    choose_password(client, csrf_token, link_in_output(capsys.readouterr().out))
    response = other_browser.get("/manage/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_password_changed_otherwise_invalidates_the_link(app, db, organiser):
    token = password_reset.make_reset_token(organiser)
    from webapp.accounts.operations import set_password

    set_password(organiser, "changed by the admin meanwhile")
    db.session.commit()
    assert password_reset.user_for_reset_token(token) is None


class PastSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 3601


def test_an_expired_link_fails(app, organiser, client):
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=password_reset.SALT,
                                        signer=PastSigner)
    token = serializer.dumps(password_reset.reset_payload(organiser))
    assert client.get(f"/password/reset/{token}").status_code == 400
    assert password_reset.user_for_reset_token(token) is None


@pytest.mark.parametrize("forge", [
    lambda app, user: URLSafeTimedSerializer("another key", salt=password_reset.SALT).dumps(
        password_reset.reset_payload(user)),
    lambda app, user: URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps(
        password_reset.reset_payload(user)),
    lambda app, user: password_reset.make_reset_token(user)[:-2] + "xx",
    lambda app, user: "not-a-token",
    lambda app, user: URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=password_reset.SALT).dumps(
        {"user_id": user.id, "fingerprint": "guessed"}),
])
def test_forged_links_fail(app, db, organiser, client, csrf_token, forge):
    path = f"/password/reset/{forge(app, organiser)}"
    assert client.get(path).status_code == 400
    response = client.post(path, data={"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert response.status_code == 400
    assert not check_password_hash(db.session.get(User, organiser.id).password_hash, NEW_PASSWORD)


def test_short_or_mismatched_passwords_are_refused(db, organiser, client, csrf_token):
    client.set_cookie("lang", "en")
    path = f"/password/reset/{password_reset.make_reset_token(organiser)}"
    short = choose_password(client, csrf_token, path, "short")
    assert short.status_code == 400 and "choose one of at least 10" in short.get_data(as_text=True)
    mismatch = choose_password(client, csrf_token, path, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 400
    assert "The two passwords differ: type the same password twice." in mismatch.get_data(as_text=True)
    assert not check_password_hash(db.session.get(User, organiser.id).password_hash, NEW_PASSWORD)


def test_inactive_accounts_get_no_mail(app, db, make_user, ask_for_link):
    make_user("organiser", email="gone@example.org", is_active=False)
    db.session.commit()
    assert SENT in ask_for_link("gone@example.org").get_data(as_text=True)
    assert mails(app) == []


def test_forgot_form_needs_csrf(organiser, client):
    assert client.post("/password/forgot", data={"email": "orga@example.org"}).status_code == 400


def test_new_password_never_reaches_the_logs(db, organiser, client, csrf_token, caplog):
    caplog.set_level(logging.DEBUG)
    choose_password(client, csrf_token, f"/password/reset/{password_reset.make_reset_token(organiser)}")
    assert NEW_PASSWORD not in caplog.text


class TestWithAMailServer:
    @pytest.fixture
    def app_config(self, tmp_path):
        return {"MAIL_SERVER": "smtp.example.org", "MAIL_DIR": str(tmp_path / "mail"),
                "MAIL_DEFAULT_SENDER": "Causeries <archive@example.org>"}

    def test_mail_goes_through_flask_mail(self, app, organiser, ask_for_link):
        from webapp.extensions import mail

        with mail.record_messages() as outbox:
            ask_for_link("orga@example.org")
        assert [m.recipients for m in outbox] == [["orga@example.org"]]
        assert outbox[0].sender == "Causeries <archive@example.org>"
        assert "/password/reset/" in outbox[0].body
        assert mails(app) == []


def test_one_account_gets_at_most_three_mails_per_hour_with_the_same_answer(app, organiser, ask_for_link):
    answers = [ask_for_link("Orga@Example.org") for _ in range(5)]
    assert all(a.status_code == 200 and SENT in a.get_data(as_text=True) for a in answers)
    assert len(mails(app)) == app.config["PASSWORD_RESET_MAX_PER_ACCOUNT"] == 3


def test_one_client_address_is_refused_beyond_ten_requests_per_hour(app, db, ask_for_link):
    for number in range(10):
        assert ask_for_link(f"someone{number}@example.org").status_code == 200
    refused = ask_for_link("another@example.org")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3600"
    assert "Too many password reset requests" in refused.get_data(as_text=True)
    other_client = ask_for_link("another@example.org", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_client.status_code == 200


def test_reset_requests_older_than_the_window_are_forgotten(app, db, organiser, ask_for_link):
    from datetime import datetime, timedelta, timezone

    from webapp.models import PasswordResetRequest

    for _ in range(3):
        ask_for_link("orga@example.org")
    long_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    db.session.execute(db.update(PasswordResetRequest).values(created_at=long_ago))
    db.session.commit()
    ask_for_link("orga@example.org")
    assert len(mails(app)) == 4
    assert db.session.scalar(db.select(db.func.count(PasswordResetRequest.id))) == 1


def test_the_mail_leaves_only_after_the_answer_was_sent(app, organiser, client, csrf_token, capsys):
    """The lookup and the mail take time only for a known address: they run once the response
    is closed (after its last byte), so both answers take the same time."""
    data = {"email": "orga@example.org", "csrf_token": csrf_token("/password/forgot")}
    response = client.post("/password/forgot", data=data, buffered=False)
    assert response.status_code == 200 and SENT in response.get_data(as_text=True)
    assert mails(app) == []  # answered, nothing sent yet
    response.close()  # the server closes the response once it is written
    assert len(mails(app)) == 1
    assert "To: orga@example.org" in capsys.readouterr().out


def test_the_mail_is_in_the_language_of_the_request(app, organiser, client, ask_for_link, capsys):
    client.set_cookie("lang", "en")
    ask_for_link("orga@example.org")
    english = capsys.readouterr().out
    client.set_cookie("lang", "fr")
    ask_for_link("orga@example.org")
    french = capsys.readouterr().out
    assert "Reset your" in english and "Reset your" not in french
