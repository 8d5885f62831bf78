"""Every /manage and /api route × anonymous, speaker, organiser and admin, outside the manage.*
workspace routes (tests/manage/test_manage_permissions.py builds their matrix from the URL map).

A route added under /manage or /api fails test_no_route_escapes_the_matrices until it gets a row.
"""
import io

import pytest

from webapp.models import CuratedPath, CuratedPathItem, Status

ROLES = ("anonymous", "speaker", "organiser", "admin")
# endpoint -> {role: expected status}
EXPECTED = {
    **{f"api.{name}": dict.fromkeys(ROLES, 200)  # the public read API: the same for everyone
       for name in ("talks", "talk", "events", "event", "speakers", "speaker", "tags", "tag", "openapi_document",
                    "paths", "path")},
    "api.search": dict.fromkeys(ROLES, 200),
    "api.suggest": dict.fromkeys(ROLES, 200),
    "api.talk_slides": dict.fromkeys(ROLES, 200),
    "api.upload_slides": {"anonymous": 401, "speaker": 403, "organiser": 202, "admin": 202},
    # GET sends to the "Slides" section of the talk's workspace page
    "manage_slides.talk_slides": {"anonymous": 302, "speaker": 403, "organiser": 302, "admin": 302},
    # a bulk slide upload of an event: its form, and the preview of a batch (404: no such batch)
    "manage_bulk_slides.upload": {"anonymous": 302, "speaker": 403, "organiser": 200, "admin": 200},
    "manage_bulk_slides.preview": {"anonymous": 302, "speaker": 403, "organiser": 404, "admin": 404},
    # the schedule import's form (frab/pretalx)
    "manage_schedules.upload": {"anonymous": 302, "speaker": 403, "organiser": 200, "admin": 200},
    # the spreadsheet import: its form, then a staged sheet's pages (404: no such sheet)
    "manage_spreadsheets.upload": {"anonymous": 302, "speaker": 403, "organiser": 200, "admin": 200},
    **{f"manage_spreadsheets.{name}": {"anonymous": 302, "speaker": 403, "organiser": 404, "admin": 404}
       for name in ("mapping", "progress", "status_json")},
    # a talk's transcripts: GET sends to the section of the talk's workspace page; deleting one is a
    # POST, refused without its CSRF token (400) once the audience is checked
    "manage_transcripts.upload": {"anonymous": 302, "speaker": 403, "organiser": 302, "admin": 302},
    "manage_transcripts.delete": {"anonymous": 302, "speaker": 403, "organiser": 400, "admin": 400},
}


@pytest.fixture
def talk(db, make_talk, make_speaker):
    talk = make_talk("Médiation numérique", slug="mednum", speakers=[make_speaker("Anne Martin", slug="anne-martin")],
                     tags=["mednumsavoirs"])
    path = CuratedPath(slug="parcours-mednum", title="Parcours : médiation numérique", status=Status.PUBLISHED)
    path.items.append(CuratedPathItem(talk=talk, position=0))
    db.session.add(path)
    db.session.commit()
    return talk


def guarded_rules(app):
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.rule.startswith(("/manage", "/api")) and not rule.endpoint.startswith("manage.")}


def test_no_route_escapes_the_matrices(app):
    assert guarded_rules(app) == set(EXPECTED)


def request_as(db, role, endpoint, client, talk, make_user, login_as, api_token, make_pdf):
    user = None if role == "anonymous" else make_user(role)
    db.session.commit()
    if endpoint == "api.upload_slides":
        headers = {"Authorization": f"Bearer {api_token(user)}"} if user else {}
        data = {"file": (io.BytesIO(make_pdf("Diapositive")), "deck.pdf")}
        return client.post(f"/api/v1/talks/{talk.slug}/slides", data=data, headers=headers)
    browser = login_as(user) if user else client
    if endpoint == "manage_transcripts.delete":
        return browser.post(f"/manage/talks/{talk.id}/transcripts/fr/delete")
    url = {"api.search": "/api/v1/search?q=mediation", "api.suggest": "/api/v1/suggest?q=med",
           "api.talk_slides": f"/api/v1/talks/{talk.slug}/slides",
           "api.talks": "/api/v1/talks", "api.talk": f"/api/v1/talks/{talk.slug}",
           "api.events": "/api/v1/events", "api.event": f"/api/v1/events/{talk.event.slug}",
           "api.speakers": "/api/v1/speakers", "api.speaker": "/api/v1/speakers/anne-martin",
           "api.tags": "/api/v1/tags", "api.tag": "/api/v1/tags/mednumsavoirs",
           "api.openapi_document": "/api/v1/openapi.json",
           "api.paths": "/api/v1/paths", "api.path": "/api/v1/paths/parcours-mednum",
           "manage_slides.talk_slides": f"/manage/talks/{talk.id}/slides",
           "manage_transcripts.upload": f"/manage/talks/{talk.id}/transcripts",
           "manage_bulk_slides.upload": f"/manage/events/{talk.event.id}/slides/bulk",
           "manage_bulk_slides.preview": f"/manage/events/{talk.event.id}/slides/bulk/{'a' * 32}",
           "manage_schedules.upload": "/manage/import/schedule",
           "manage_spreadsheets.upload": "/manage/import/spreadsheet",
           "manage_spreadsheets.mapping": f"/manage/import/spreadsheet/{'a' * 24}",
           "manage_spreadsheets.progress": f"/manage/import/spreadsheet/{'a' * 24}/progress",
           "manage_spreadsheets.status_json": f"/manage/import/spreadsheet/{'a' * 24}/status.json"}[endpoint]
    return browser.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_permission_matrix(db, client, talk, make_user, login_as, api_token, make_pdf, endpoint, role):
    response = request_as(db, role, endpoint, client, talk, make_user, login_as, api_token, make_pdf)
    assert response.status_code == EXPECTED[endpoint][role], response.get_data(as_text=True)[:300]


def test_a_session_cookie_alone_cannot_upload_through_the_api(db, client, talk, make_user, login_as,
                                                              make_pdf):
    browser = login_as(make_user("organiser"))
    db.session.commit()
    data = {"file": (io.BytesIO(make_pdf("Diapositive")), "deck.pdf")}
    assert browser.post(f"/api/v1/talks/{talk.slug}/slides", data=data).status_code == 401
