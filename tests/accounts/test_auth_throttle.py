"""Login throttling: 10 failures from a client address within 15 minutes refuse that address; an
account's owner is never locked out by failures from elsewhere (issue 13, item 14). The counts are
kept in the database so that every worker process (and a second app instance) sees them."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from webapp import create_app
from webapp.extensions import db as _db
from webapp.models import LoginAttempt

pytestmark = pytest.mark.usefixtures("english_ui")

PASSWORD = "correct horse battery"
THROTTLED = "Too many failed login attempts"


def from_address(address):
    return {"environ_base": {"REMOTE_ADDR": address}}


def fail(post_login, times, email="orga@example.org", **kwargs):
    for _ in range(times):
        assert post_login(email, "not the password", **kwargs).status_code == 200


@pytest.fixture
def organiser(db, make_user):
    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    return user


def test_failures_from_other_addresses_never_lock_the_owner_out(organiser, post_login, client):
    fail(post_login, 9, **from_address("10.0.0.1"))
    assert post_login("orga@example.org", "still wrong", **from_address("10.0.0.2")).status_code == 200
    assert post_login("orga@example.org", PASSWORD, **from_address("10.0.0.3")).status_code == 302


def test_ten_failures_from_an_address_refuse_it_even_the_right_password(organiser, post_login):
    fail(post_login, 10, **from_address("10.0.0.1"))
    response = post_login("orga@example.org", PASSWORD, **from_address("10.0.0.1"))
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) == 15 * 60


class TestGuessingSpreadOverManyAddresses:
    @pytest.fixture
    def app_config(self):
        return {"LOGIN_ACCOUNT_MAX_FAILURES": 20}

    def test_each_failing_address_waits_and_the_owner_still_logs_in(self, organiser, post_login):
        for n in range(20):
            fail(post_login, 1, **from_address(f"198.51.100.{n}"))
        assert post_login("orga@example.org", PASSWORD, **from_address("198.51.100.3")).status_code == 429
        assert post_login("orga@example.org", "guess", **from_address("198.51.100.77")).status_code == 200
        assert post_login("orga@example.org", PASSWORD, **from_address("198.51.100.77")).status_code == 429
        assert post_login("orga@example.org", PASSWORD, **from_address("203.0.113.1")).status_code == 302

    def test_below_the_account_limit_one_failure_does_not_stop_an_address(self, organiser, post_login):
        for n in range(19):
            fail(post_login, 1, **from_address(f"198.51.100.{n}"))
        assert post_login("orga@example.org", PASSWORD, **from_address("198.51.100.3")).status_code == 302


def test_ten_failures_from_an_address_refuse_other_accounts(db, make_user, post_login, client):
    make_user("organiser", email="other@example.org")
    db.session.commit()
    for n in range(10):
        post_login(f"guess{n}@example.org", "not the password", **from_address("192.0.2.7"))
    response = post_login("other@example.org", PASSWORD, **from_address("192.0.2.7"))
    assert response.status_code == 429
    with client.session_transaction() as current:
        assert "_user_id" not in current
    assert post_login("other@example.org", PASSWORD, **from_address("192.0.2.8")).status_code == 302


def test_refused_attempts_are_not_checked_nor_counted(organiser, post_login, db):
    fail(post_login, 10)
    post_login("orga@example.org", PASSWORD)
    post_login("orga@example.org", PASSWORD)
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 10


def succeed_then_leave(post_login, client, address):
    assert post_login("orga@example.org", PASSWORD, **from_address(address)).status_code == 302
    client.delete_cookie("session")


def test_a_success_clears_the_account_count_not_the_address_count(organiser, post_login, client):
    fail(post_login, 9, **from_address("10.0.0.1"))
    succeed_then_leave(post_login, client, "10.0.0.2")
    fail(post_login, 9, **from_address("10.0.0.3"))
    succeed_then_leave(post_login, client, "10.0.0.4")
    succeed_then_leave(post_login, client, "10.0.0.1")
    fail(post_login, 1, **from_address("10.0.0.1"))
    assert post_login("orga@example.org", PASSWORD, **from_address("10.0.0.1")).status_code == 429


def age_attempts(db, minutes):
    old = datetime.now(timezone.utc) - timedelta(minutes=minutes)
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.created_at = old
    db.session.commit()


def test_failures_older_than_the_window_stop_counting_and_are_pruned(organiser, post_login, db):
    fail(post_login, 10)
    assert post_login("orga@example.org", PASSWORD).status_code == 429
    age_attempts(db, 16)
    assert post_login("orga@example.org", PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 1


def test_no_password_is_stored_with_the_attempts(organiser, post_login, db):
    fail(post_login, 1)
    attempt = db.session.scalar(select(LoginAttempt))
    assert attempt.email_key == "orga@example.org" and attempt.client_address == "127.0.0.1"
    assert "not the password" not in repr(vars(attempt))


def test_the_count_holds_across_app_instances(app, organiser, post_login, tmp_path):
    fail(post_login, 10)
    other = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key",
                        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SEARCH_INDEX_DIR": str(tmp_path / "other-index"), "SEARCH_WRITER": "off"})
    other_client = other.test_client()
    with other.app_context():
        try:
            page = other_client.get("/login").get_data(as_text=True)
            token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
            response = other_client.post("/login", data={
                "email": "orga@example.org", "password": PASSWORD, "csrf_token": token})
        finally:
            _db.session.remove()
            _db.engine.dispose()
    assert response.status_code == 429


def test_forwarded_for_is_ignored_without_trusted_proxies(organiser, post_login):
    for n in range(10):
        post_login(f"guess{n}@example.org", "nope", headers={"X-Forwarded-For": f"203.0.113.{n}"})
    response = post_login("orga@example.org", PASSWORD, headers={"X-Forwarded-For": "198.51.100.1"})
    assert response.status_code == 429


class TestBehindOneProxy:
    @pytest.fixture
    def app_config(self):
        return {"TRUSTED_PROXY_COUNT": 1}

    def test_the_forwarded_address_is_the_client(self, organiser, post_login, db):
        for n in range(10):
            post_login(f"guess{n}@example.org", "nope", headers={"X-Forwarded-For": "203.0.113.9"})
        blocked = post_login("orga@example.org", PASSWORD, headers={"X-Forwarded-For": "203.0.113.9"})
        assert blocked.status_code == 429
        allowed = post_login("orga@example.org", PASSWORD, headers={"X-Forwarded-For": "198.51.100.1"})
        assert allowed.status_code == 302
        addresses = set(db.session.scalars(select(LoginAttempt.client_address)))
        assert addresses == {"203.0.113.9", "198.51.100.1"}

    def test_only_the_last_entry_is_trusted(self, organiser, post_login, db):
        post_login("orga@example.org", "nope", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.5"})
        assert db.session.scalar(select(LoginAttempt.client_address)) == "203.0.113.5"
