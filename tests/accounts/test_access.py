"""Server-side access rules: roles, sessions and bearer tokens."""
import secrets

import pytest
from flask import Blueprint

from webapp.core.access import admin_required, hash_token, manage_required
from webapp.models import ApiToken


@pytest.fixture
def guarded(app):
    """Two routes behind the access decorators, registered on the test app."""
    bp = Blueprint("guarded", __name__)
    bp.add_url_rule("/api/v1/guarded", "api", manage_required(lambda: "ok"))
    bp.add_url_rule("/guarded/manage", "manage", manage_required(lambda: "ok"))
    bp.add_url_rule("/guarded/admin", "admin", admin_required(lambda: "ok"))
    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize("role, manage, admin", [
    ("speaker", 403, 403), ("organiser", 200, 403), ("admin", 200, 200),
])
def test_roles(guarded, db, make_user, login_as, role, manage, admin):
    client = login_as(make_user(role))
    db.session.commit()
    assert client.get("/guarded/manage").status_code == manage
    assert client.get("/guarded/admin").status_code == admin


def test_anonymous_people_go_to_login_and_api_clients_get_401(guarded, client):
    response = client.get("/guarded/manage?x=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert client.get("/api/v1/guarded").status_code == 401


def test_deactivated_users_lose_access(guarded, db, make_user, login_as):
    client = login_as(make_user("organiser", is_active=False))
    db.session.commit()
    assert client.get("/guarded/manage").status_code == 302


def test_bearer_tokens_work_until_revoked(guarded, db, make_user, client):
    from datetime import datetime, timezone

    token = secrets.token_urlsafe(32)
    api_token = ApiToken(user=make_user("organiser"), token_hash=hash_token(token), prefix=token[:8])
    db.session.add(api_token)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/guarded", headers=headers).status_code == 200
    assert client.get("/api/v1/guarded", headers={"Authorization": "Bearer wrong"}).status_code == 401
    api_token.revoked_at = datetime.now(timezone.utc)
    db.session.commit()
    assert client.get("/api/v1/guarded", headers=headers).status_code == 401
