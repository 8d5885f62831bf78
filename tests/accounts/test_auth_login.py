"""Logging in and out: the real forms, CSRF, session renewal, cookie flags, no user enumeration."""
import logging
import re

import pytest
from sqlalchemy import select

from webapp import create_app
from webapp.core.access import hash_token
from webapp.models import User, UserSession

pytestmark = pytest.mark.usefixtures("english_ui")

PASSWORD = "correct horse battery"
WRONG_CREDENTIALS = "The email or the password is not correct."


def session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_login_page_has_a_form_with_a_csrf_token(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="csrf_token"' in html and 'type="password"' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_right_password_logs_in_and_records_the_time(db, make_user, post_login, client):
    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    response = post_login("  ORGA@example.org ", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/manage/"  # their workspace
    with client.session_transaction() as current:
        user_id, _, token = current["_user_id"].partition(".")
    assert user_id == str(user.id)
    stored = db.session.scalars(select(UserSession.token_hash).where(UserSession.user_id == user.id))
    assert list(stored) == [hash_token(token)]  # the cookie names a server-side session
    assert db.session.get(User, user.id).last_login_at is not None


@pytest.mark.parametrize("email, password", [
    ("orga@example.org", "wrong password here"), ("nobody@example.org", PASSWORD),
    ("inactive@example.org", PASSWORD),
])
def test_failures_give_one_message_whatever_failed(db, make_user, post_login, client, email, password):
    make_user("organiser", email="orga@example.org")
    make_user("organiser", email="inactive@example.org", is_active=False)
    db.session.commit()
    response = post_login(email, password)
    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.get_data(as_text=True)
    with client.session_transaction() as current:
        assert "_user_id" not in current


def test_login_renews_the_session(db, make_user, post_login, client):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    with client.session_transaction() as current:
        current["planted_by_attacker"] = "fixation"
    client.get("/login")
    before = session_cookie(client)
    post_login("orga@example.org", PASSWORD)
    assert session_cookie(client) != before
    with client.session_transaction() as current:
        assert "planted_by_attacker" not in current and "_user_id" in current


@pytest.mark.parametrize("next_path, expected", [
    ("/events/", "/events/"), ("https://evil.example/", "/manage/"), ("//evil.example/", "/manage/"),
])
def test_next_redirects_only_to_local_paths(db, make_user, post_login, next_path, expected):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    response = post_login("orga@example.org", PASSWORD, next=next_path)
    assert response.headers["Location"] == expected


def test_login_without_csrf_token_is_refused(db, make_user, client):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    response = client.post("/login", data={"email": "orga@example.org", "password": PASSWORD})
    assert response.status_code == 400
    with client.session_transaction() as current:
        assert "_user_id" not in current


def test_empty_form_is_a_400_with_the_form_again(client, csrf_token):
    response = client.post("/login", data={"csrf_token": csrf_token(), "email": "", "password": ""})
    assert response.status_code == 400
    assert 'name="email"' in response.get_data(as_text=True)


def test_logout_needs_post_and_csrf(db, make_user, post_login, client, csrf_token):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    post_login("orga@example.org", PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    with client.session_transaction() as current:
        assert "_user_id" in current
    response = client.post("/logout", data={"csrf_token": csrf_token("/password/forgot")})
    assert response.status_code == 302
    with client.session_transaction() as current:
        assert "_user_id" not in current


def test_session_cookie_is_httponly_and_lax(db, make_user, post_login):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    set_cookie = post_login("orga@example.org", PASSWORD).headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert "Secure" not in set_cookie


def bare_app(tmp_path, **settings):
    return create_app({"SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                       "SEARCH_INDEX_DIR": str(tmp_path / "index"), "SEARCH_WRITER": "off", **settings})


@pytest.mark.parametrize("settings, is_secure", [
    ({}, False), ({"PREFERRED_URL_SCHEME": "https"}, True), ({"SESSION_COOKIE_SECURE": True}, True),
])
def test_secure_cookies_follow_https(tmp_path, settings, is_secure):
    app = bare_app(tmp_path, **settings)
    assert app.config["SESSION_COOKIE_SECURE"] is is_secure
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_secure_cookie_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    assert bare_app(tmp_path).config["SESSION_COOKIE_SECURE"] is True


def test_passwords_never_reach_the_logs(db, make_user, post_login, caplog):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    caplog.set_level(logging.DEBUG)
    post_login("orga@example.org", "a wrong secret phrase")
    post_login("orga@example.org", PASSWORD)
    assert "a wrong secret phrase" not in caplog.text and PASSWORD not in caplog.text


def test_authenticated_visitor_is_sent_on(db, make_user, login_as):
    client = login_as(make_user("organiser"))
    db.session.commit()
    response = client.get("/login?next=/events/")
    assert response.status_code == 302 and response.headers["Location"] == "/events/"


def test_header_offers_login_then_logout(db, make_user, post_login, client):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    assert 'href="/login"' in client.get("/").get_data(as_text=True)
    post_login("orga@example.org", PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert 'action="/logout"' in home and 'href="/login"' not in home
    logout_form = r'action="/logout">\s*<input type="hidden" name="csrf_token" value="([^"]+)"'
    token = re.search(logout_form, home).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert 'href="/login"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role, landing", [("admin", "/manage/"), ("organiser", "/manage/"),
                                           ("speaker", "/profile/")])
def test_a_login_from_no_page_lands_in_the_users_own_space(db, make_user, post_login, role, landing):
    make_user(role, email="someone@example.org")
    db.session.commit()
    assert post_login("someone@example.org", PASSWORD).headers["Location"] == landing


@pytest.mark.parametrize("asked", ["/talks/", "/manage/events/"])
def test_a_login_from_a_page_goes_back_to_it(db, make_user, post_login, asked):
    make_user("organiser", email="someone@example.org")
    db.session.commit()
    assert post_login("someone@example.org", PASSWORD, next=asked).headers["Location"] == asked


def test_the_login_page_reached_directly_posts_to_no_page_and_lands_in_the_workspace(db, make_user, client,
                                                                                   csrf_token):
    """The form posted to /login?next=/ and so sent organisers to the public home page."""
    make_user("organiser", email="someone@example.org")
    db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    action = re.search(r'<form class="account-form" method="post" action="([^"]+)"', page).group(1)
    assert action == "/login"
    data = {"email": "someone@example.org", "password": PASSWORD, "csrf_token": csrf_token("/login")}
    assert client.post(action, data=data).headers["Location"] == "/manage/"
