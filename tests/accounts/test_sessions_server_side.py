"""Login sessions live on the server: a copied cookie stops working at logout, at a new password,
when an admin ends the account's sessions, and when the session expires."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from webapp.models import AuditEntry, UserSession

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(autouse=True)
def isolated_clients(client):
    """Every test client of the module gets an app context per request, as in production."""


def logged_in_browser(app, email: str):
    """A browser of its own that logged in through the real form."""
    browser = app.test_client()
    token = TOKEN.search(browser.get("/login").get_data(as_text=True)).group(1)
    response = browser.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert browser.get("/manage/").status_code == 200
    return browser


def copy_of_cookie(app, browser):
    """Another client holding a copy of the browser's session cookie (as a thief would)."""
    thief = app.test_client()
    cookie = browser.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def is_logged_out(client) -> bool:
    response = client.get("/manage/")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_ends_the_session_for_every_copy_of_its_cookie(app, db, make_user):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    browser = logged_in_browser(app, "orga@example.org")
    thief = copy_of_cookie(app, browser)
    assert thief.get("/manage/").status_code == 200
    token = TOKEN.search(browser.get("/manage/").get_data(as_text=True)).group(1)
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    assert is_logged_out(thief) and is_logged_out(browser)
    assert db.session.scalar(select(UserSession.id)) is None


def test_logging_out_leaves_the_accounts_other_sessions(app, db, make_user):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    laptop, phone = (logged_in_browser(app, "orga@example.org") for _ in range(2))
    token = TOKEN.search(laptop.get("/manage/").get_data(as_text=True)).group(1)
    laptop.post("/logout", data={"csrf_token": token})
    assert is_logged_out(laptop) and phone.get("/manage/").status_code == 200


def test_a_new_password_ends_every_session(app, db, make_user):
    from webapp.accounts.operations import set_password

    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    browser = logged_in_browser(app, "orga@example.org")
    set_password(user, "another long password")
    db.session.commit()
    assert is_logged_out(browser)


def test_an_admin_ends_all_sessions_of_an_account(app, db, make_user, manage_client):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    laptop, phone = (logged_in_browser(app, "orga@example.org") for _ in range(2))
    admin, _ = manage_client("admin")
    page = admin.get("/manage/accounts").get_data(as_text=True)
    assert "orga@example.org" in page and "End all sessions" in page
    user_id = db.session.scalar(select(UserSession.user_id))
    response = admin.post(f"/manage/accounts/{user_id}/end-sessions",
                          data={"csrf_token": TOKEN.search(page).group(1)})
    assert response.status_code == 302
    assert "2 session(s) of orga@example.org ended." in admin.get("/manage/accounts").get_data(as_text=True)
    assert is_logged_out(laptop) and is_logged_out(phone)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "end_sessions"))
    assert entry.object_label == "orga@example.org" and entry.changes == {"sessions": ["2", "0"]}


def test_only_admins_may_end_sessions(app, db, make_user, manage_client):
    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    browser = logged_in_browser(app, "orga@example.org")
    organiser, _ = manage_client("organiser")
    assert organiser.get("/manage/accounts").status_code == 403
    token = TOKEN.search(organiser.get("/manage/").get_data(as_text=True)).group(1)
    assert organiser.post(f"/manage/accounts/{user.id}/end-sessions",
                          data={"csrf_token": token}).status_code == 403
    assert browser.get("/manage/").status_code == 200


def test_an_expired_session_is_over(app, db, make_user):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    browser = logged_in_browser(app, "orga@example.org")
    db.session.execute(update(UserSession).values(
        expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    db.session.commit()
    assert is_logged_out(browser)


def test_a_forged_session_id_is_nobody(app, db, make_user):
    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    forger = app.test_client()
    for forged in (str(user.id), f"{user.id}.", f"{user.id}.guess", "x.y", f"{'9' * 30}.abc"):
        with forger.session_transaction() as session:
            session["_user_id"] = forged
        assert is_logged_out(forger), forged
