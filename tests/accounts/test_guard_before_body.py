"""Who may send a body is decided before anything reads it (issue 13, item 4).

Every /manage and /profile route that takes a POST gets one whose body is over the upload limit:
read first (CSRF parses the form), it would be a 413, and the workspace's 413 page showed the
title and the deck versions of any talk, drafts included. Anonymous visitors get the login
redirect, speakers a 403, whatever the body.
"""
import re

import pytest

from webapp.models import Status

PUBLIC_ENDPOINTS = {"profile.photo", "profile.claim"}
LIMIT = 50_000


@pytest.fixture
def app_config():
    return {"SLIDES_MAX_BYTES": LIMIT, "MAX_CONTENT_LENGTH": LIMIT}


@pytest.fixture
def draft(db, make_event, make_talk, make_speaker):
    talk = make_talk("Un brouillon très secret", event=make_event("Journée cachée", status=Status.DRAFT),
                     speakers=[make_speaker("Anne Martin")], status=Status.DRAFT)
    db.session.commit()
    return talk


def _posting_routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.rule.startswith(("/manage", "/profile")) and "POST" in rule.methods \
                and rule.endpoint not in PUBLIC_ENDPOINTS:
            yield rule


def _url(rule, draft) -> str:
    values = {name: draft.id if name == "talk_id" else 1 for name in rule.arguments}
    if "slug" in rule.arguments:
        values["slug"] = draft.speakers[0].slug
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), path)
    return path


def _oversized_post(client, url: str):
    return client.post(url, data=b"x" * (LIMIT * 3), content_type="multipart/form-data; boundary=B")


def test_every_posting_route_is_covered(app):
    endpoints = {rule.endpoint for rule in _posting_routes(app)}
    assert {"manage_slides.talk_slides", "profile.talk_slides", "profile.edit", "manage.talk_edit"} <= endpoints


def test_anonymous_bodies_are_never_read(app, client, draft):
    for rule in _posting_routes(app):
        url = _url(rule, draft)
        response = _oversized_post(client, url)
        assert response.status_code == 302, (url, response.status_code)
        assert "/login?next=" in response.headers["Location"], url
        assert "secret" not in response.get_data(as_text=True), url


@pytest.fixture
def logged_in(db, make_user, login_as):
    """logged_in(role): the client acts as a new, committed user of that role."""
    def log_in(role: str):
        user = make_user(role)
        db.session.commit()
        return login_as(user)

    return log_in


def test_speakers_get_403_from_the_workspace_whatever_the_body(app, client, draft, logged_in):
    logged_in("speaker")
    for rule in _posting_routes(app):
        if rule.rule.startswith("/manage"):
            response = _oversized_post(client, _url(rule, draft))
            assert response.status_code == 403, (rule.rule, response.status_code)
            assert "secret" not in response.get_data(as_text=True)


def test_a_speaker_cannot_post_to_someone_elses_profile_or_talk(app, client, draft, logged_in):
    logged_in("speaker")
    for url in (f"/profile/talks/{draft.id}/slides", f"/profile/{draft.speakers[0].slug}",
                f"/profile/{draft.speakers[0].slug}/preview"):
        response = _oversized_post(client, url)
        assert response.status_code == 403, url
        assert "secret" not in response.get_data(as_text=True)


def test_unknown_rows_are_404_before_the_body(app, client, logged_in):
    logged_in("speaker")
    assert _oversized_post(client, "/profile/talks/999999/slides").status_code == 404
    assert _oversized_post(client, "/profile/nobody-at-all").status_code == 404


def test_an_organiser_still_gets_the_413_with_the_reason(app, client, draft, logged_in):
    logged_in("organiser")
    response = _oversized_post(client, f"/manage/talks/{draft.id}/slides")
    assert response.status_code == 413
