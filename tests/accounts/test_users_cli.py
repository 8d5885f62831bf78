"""flask users create | set-password | token | revoke | list"""
import logging

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from webapp.core.access import hash_token
from webapp.models import ApiToken, Role, User

PASSWORD = "a long enough password"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def user_named(db, email):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_create_reads_the_password_file(runner, db, password_file):
    result = runner.invoke(args=["users", "create", "Orga@Example.org", "--role", "organiser",
                                 "--password-file", str(password_file)])
    assert result.exit_code == 0, result.output
    user = user_named(db, "orga@example.org")
    assert user.role == Role.ORGANISER and user.is_active
    assert user.password_hash.startswith("scrypt:") and check_password_hash(user.password_hash, PASSWORD)


def test_without_the_suite_s_override_passwords_are_hashed_at_scrypt_s_full_cost(tmp_path):
    from webapp import create_app
    from webapp.accounts.operations import hash_password

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "index"), "UPLOAD_DIR": str(tmp_path / "uploads"),
                      "PAGE_CACHE": "off"})
    with app.app_context():
        stored = hash_password(PASSWORD)
    assert stored.startswith("scrypt:32768:8:1$") and check_password_hash(stored, PASSWORD)


def test_create_prompts_twice_without_echo(runner, db):
    result = runner.invoke(args=["users", "create", "admin@example.org", "--role", "admin"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert check_password_hash(user_named(db, "admin@example.org").password_hash, PASSWORD)


def test_create_refuses_mismatched_prompts(runner, db):
    result = runner.invoke(args=["users", "create", "admin@example.org", "--role", "admin"],
                           input=f"{PASSWORD}\nsomething else\n")
    assert result.exit_code != 0
    assert user_named(db, "admin@example.org") is None


@pytest.mark.parametrize("args, message", [
    (["--role", "organiser"], "at least 10 characters"),
    (["--role", "emperor"], "Invalid value for '--role'"),
])
def test_create_refuses_bad_input(runner, db, tmp_path, args, message):
    short = tmp_path / "short"
    short.write_text("tiny\n")
    result = runner.invoke(args=["users", "create", "x@example.org", *args, "--password-file", str(short)])
    assert result.exit_code != 0 and message in result.output
    assert user_named(db, "x@example.org") is None


def test_create_refuses_a_duplicate_email(runner, db, make_user, password_file):
    make_user("speaker", email="taken@example.org")
    db.session.commit()
    result = runner.invoke(args=["users", "create", "TAKEN@example.org", "--role", "admin",
                                 "--password-file", str(password_file)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert user_named(db, "taken@example.org").role == Role.SPEAKER


def test_set_password(runner, db, make_user, password_file):
    make_user("speaker", email="speaker@example.org")
    db.session.commit()
    result = runner.invoke(args=["users", "set-password", "speaker@example.org",
                                 "--password-file", str(password_file)])
    assert result.exit_code == 0, result.output
    assert check_password_hash(user_named(db, "speaker@example.org").password_hash, PASSWORD)


def test_token_is_printed_once_and_only_its_hash_is_stored(runner, db, make_user):
    user = make_user("organiser", email="orga@example.org")
    db.session.commit()
    result = runner.invoke(args=["users", "token", "orga@example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert len(token) >= 40
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash == hash_token(token) and token not in (stored.token_hash, stored.prefix)
    assert token.startswith(stored.prefix)


def test_token_for_an_unknown_email_fails(runner, db):
    result = runner.invoke(args=["users", "token", "nobody@example.org"])
    assert result.exit_code == 1 and "No account" in result.output


def live_prefixes(db, email):
    return sorted(t.prefix for t in user_named(db, email).tokens if t.revoked_at is None)


def test_revoke_one_by_prefix_or_all(runner, db, make_user):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    tokens = [runner.invoke(args=["users", "token", "orga@example.org"]).output.strip() for _ in range(3)]
    result = runner.invoke(args=["users", "revoke", "orga@example.org", "--prefix", tokens[0][:8]])
    assert result.exit_code == 0 and "Revoked 1" in result.output
    assert live_prefixes(db, "orga@example.org") == sorted(t[:8] for t in tokens[1:])
    result = runner.invoke(args=["users", "revoke", "orga@example.org"])
    assert result.exit_code == 0 and "Revoked 2" in result.output
    assert live_prefixes(db, "orga@example.org") == []


def test_revoke_with_an_unknown_prefix_fails(runner, db, make_user):
    make_user("organiser", email="orga@example.org")
    db.session.commit()
    runner.invoke(args=["users", "token", "orga@example.org"])
    result = runner.invoke(args=["users", "revoke", "orga@example.org", "--prefix", "nomatch!"])
    assert result.exit_code == 1 and "matches 0" in result.output
    assert len(live_prefixes(db, "orga@example.org")) == 1


def test_list_shows_roles_and_live_token_prefixes(runner, db, make_user):
    make_user("admin", email="boss@example.org")
    make_user("speaker", email="voice@example.org", is_active=False)
    db.session.commit()
    token = runner.invoke(args=["users", "token", "boss@example.org"]).output.strip()
    lines = runner.invoke(args=["users", "list"]).output.splitlines()
    assert lines[0].startswith("boss@example.org\tadmin\tactive") and token[:8] in lines[0]
    assert token not in lines[0]
    assert lines[1].startswith("voice@example.org\tspeaker\tinactive")


def test_passwords_never_reach_the_logs(runner, db, password_file, caplog):
    caplog.set_level(logging.DEBUG)
    runner.invoke(args=["users", "create", "orga@example.org", "--role", "organiser",
                        "--password-file", str(password_file)])
    assert PASSWORD not in caplog.text
