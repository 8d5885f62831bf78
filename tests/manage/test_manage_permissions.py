"""The permission matrix of the workspace, built from app.url_map so that no route is forgotten.

Anonymous visitors are sent to the login page, speakers get 403, organisers and admins get
the page (200) or are redirected after a change (302); the audit log is for admins only.
CSRF is off in this module only: the matrix is about roles (CSRF has its own tests).
"""
import re

import pytest

from webapp.models import CuratedPath, CuratedPathItem, SearchRule, SearchRuleKind, Status

ROLES = ("anonymous", "speaker", "organiser", "admin")
ADMIN_ONLY = {"manage.audit", "manage.accounts_list", "manage.account_end_sessions"}
FORM_VALUES = {
    "manage.programme_move": {"direction": "down"},
    "manage.tag_rename": {"name": "renamed-tag"},
    "manage.tag_merge": {"target": "other-tag"},
    "manage.tag_new": {"name": "brand-new-tag"},
    "manage.speaker_invite": {"email": "invited.speaker@example.org"},
    "manage.talks_batch": lambda world: {"talks": str(world["talk_id"]), "action": "tag", "tag": "matrix"},
    "manage.path_move_talk": {"direction": "down"},
    "manage.path_add_talk": lambda world: {"talk_id": str(world["talk_ids"][1])},
}
# Routes that read a JSON body and answer JSON (200) rather than redirect: their body, from the world.
JSON_BODIES = {
    "manage.programme_order": lambda world: {"talk_ids": world["talk_ids"][::-1]},
}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def login_route(app):
    """The accounts area provides auth.login; a stand-in keeps this module self-sufficient."""
    if "auth.login" not in app.view_functions:
        app.add_url_rule("/test-login", "auth.login", lambda: "login")


@pytest.fixture
def world(db, make_event, make_talk, make_speaker, make_tags, make_user):
    event = make_event("Journée test", status=Status.DRAFT)
    speaker = make_speaker("Ada Lovelace")
    first = make_talk("First talk", event=event, speakers=[speaker], tags=["some-tag"], position=0)
    second = make_talk("Second talk", event=event, position=1)
    make_tags("other-tag")
    rule = SearchRule(query="mednum", kind=SearchRuleKind.SYNONYM, replacement="médiation numérique")
    db.session.add(rule)
    account = make_user("organiser")
    path = CuratedPath(slug="parcours", title="Parcours")
    path.items.append(CuratedPathItem(talk=first, position=0))
    db.session.add(path)
    db.session.commit()
    return {"event_id": event.id, "talk_id": first.id, "speaker_id": speaker.id,
            "tag_id": first.tags[0].id, "rule_id": rule.id, "user_id": account.id,
            "talk_ids": [first.id, second.id], "path_id": path.id, "item_id": path.items[0].id}


def manage_rules(app):
    """The workspace routes; merging removes the tag, so it comes last."""
    return sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("manage.")),
                  key=lambda rule: (rule.endpoint == "manage.tag_merge", rule.rule))


def expected_status(role: str, endpoint: str, method: str) -> int:
    if role == "anonymous":
        return 302
    if role == "speaker" or (endpoint in ADMIN_ONLY and role != "admin"):
        return 403
    return 200 if method == "GET" or endpoint in JSON_BODIES else 302


def _client_for(role, client, make_user, login_as, db):
    if role == "anonymous":
        return client
    user = make_user(role)
    db.session.commit()
    return login_as(user)


def test_every_manage_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in manage_rules(app)}
    assert {"manage.dashboard", "manage.events", "manage.event_new", "manage.talk_preview",
            "manage.programme_move", "manage.tag_merge", "manage.audit"} <= endpoints
    assert len(endpoints) >= 25
    assert all(set(rule.arguments) <= {"event_id", "talk_id", "speaker_id", "tag_id", "rule_id", "user_id",
                                                "path_id", "item_id"}
               for rule in manage_rules(app))


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(app, db, client, make_user, login_as, world, login_route, role):
    browser = _client_for(role, client, make_user, login_as, db)
    for rule in manage_rules(app):
        url = rule.build({key: world[key] for key in rule.arguments})[1]
        method = "GET" if "GET" in rule.methods else "POST"
        if rule.endpoint in JSON_BODIES:
            response = browser.open(url, method=method, json=JSON_BODIES[rule.endpoint](world))
        else:
            data = FORM_VALUES.get(rule.endpoint, {})
            response = browser.open(url, method=method, data=data(world) if callable(data) else data)
        expected = expected_status(role, rule.endpoint, method)
        assert response.status_code == expected, f"{role} {method} {url}: {response.status_code}"
        if role == "anonymous":
            assert re.search(r"/login[^?]*\?next=", response.headers["Location"]), url
