"""Login sessions are rows in the database, so they hold across application hosts: a session opened
through host A is valid on host B (same SECRET_KEY), and a logout or an admin's "End all sessions"
on A ends it on B at once."""
import pytest

from tests.accounts.test_sessions_server_side import TOKEN, logged_in_browser


@pytest.fixture(autouse=True)
def isolated_clients(client):
    """Every test client of the module gets an app context per request, as in production."""


def _same_browser_on(host, browser):
    """The browser's next request reaches the other host (the proxy balances it there)."""
    moved = host.test_client()
    moved.set_cookie("session", browser.get_cookie("session").value)
    return moved


def _is_logged_in(client) -> bool:
    return client.get("/manage/").status_code == 200


def test_a_session_opened_on_host_a_is_valid_on_host_b(app, db, make_user, second_host):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    on_a = logged_in_browser(app, "orga@example.org")
    assert _is_logged_in(on_a) and _is_logged_in(_same_browser_on(second_host, on_a))


def test_a_logout_on_host_a_ends_the_session_on_host_b(app, db, make_user, second_host):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    on_a = logged_in_browser(app, "orga@example.org")
    on_b = _same_browser_on(second_host, on_a)
    assert _is_logged_in(on_b)
    token = TOKEN.search(on_a.get("/manage/").get_data(as_text=True)).group(1)
    assert on_a.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not _is_logged_in(on_b)


def test_ending_all_sessions_on_host_a_ends_them_on_host_b(app, db, make_user, manage_client,
                                                         second_host):
    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    on_b = _same_browser_on(second_host, logged_in_browser(app, "orga@example.org"))
    assert _is_logged_in(on_b)
    admin, _ = manage_client("admin")
    token = TOKEN.search(admin.get("/manage/accounts").get_data(as_text=True)).group(1)
    assert admin.post(f"/manage/accounts/{user.id}/end-sessions",
                      data={"csrf_token": token}).status_code == 302
    assert not _is_logged_in(on_b)


def test_a_session_from_a_host_with_another_secret_key_is_nobody(app, db, make_user, second_host):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    on_a = logged_in_browser(app, "orga@example.org")
    second_host.secret_key = "another-secret-key"
    second_host.config["SECRET_KEY"] = "another-secret-key"
    assert not _is_logged_in(_same_browser_on(second_host, on_a))
