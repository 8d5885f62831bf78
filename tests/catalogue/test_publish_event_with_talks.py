"""Workspace: publishing a draft event publishes, in the same step, the ready draft talks the
organiser keeps ticked (issue 14, item 5)."""
import re

import pytest
from sqlalchemy import select

from webapp.models import AuditEntry, Status


@pytest.fixture
def draft_day(db, make_event, make_talk, make_speaker):
    """A draft event with two ready draft talks, one draft without a speaker, one published talk."""
    event = make_event("Journée brouillon", status=Status.DRAFT, slug="journee-brouillon")
    speaker = make_speaker("Sophie Martin")
    first = make_talk("Fablab en médiathèque", event=event, status=Status.DRAFT, speakers=[speaker])
    second = make_talk("Grainothèque partagée", event=event, status=Status.DRAFT, speakers=[speaker])
    unready = make_talk("Table ronde à venir", event=event, status=Status.DRAFT)
    published = make_talk("Ouverture", event=event, speakers=[speaker])
    db.session.commit()
    return {"event": event, "ready": [first, second], "unready": unready, "published": published}


def _confirmation(client, event):
    return client.get(f"/manage/events/{event.id}/publish").get_data(as_text=True)


def _publish(client, event, talk_ids):
    page = _confirmation(client, event)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(f"/manage/events/{event.id}/publish",
                       data={"csrf_token": token, "talks": [str(i) for i in talk_ids]})


def _statuses(db, *rows):
    db.session.expire_all()
    return [row.status for row in rows]


def test_the_event_page_leads_to_a_confirmation_listing_its_drafts(db, manage_client, draft_day):
    client, _ = manage_client()
    event, (first, second) = draft_day["event"], draft_day["ready"]
    edit = client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert f'href="/manage/events/{event.id}/publish">Publish…</a>' in edit
    page = _confirmation(client, event)
    for talk in (first, second):
        assert re.search(rf'<input type="checkbox" name="talks" value="{talk.id}" [^>]*checked>', page)
        assert f"{talk.title} — Sophie Martin" in page
    assert "Table ronde à venir</a>: It has no speaker yet." in page
    assert f'value="{draft_day["unready"].id}"' not in page  # listed, not offered
    assert "1 talk of this event is published already: it goes public with the event." in page
    assert _statuses(db, first, event)[0] == Status.DRAFT  # asking changes nothing


def test_publishing_the_event_publishes_the_ticked_talks_in_one_step(
        db, client, manage_client, draft_day):
    organiser, user = manage_client()
    event, (first, second) = draft_day["event"], draft_day["ready"]
    response = _publish(organiser, event, [first.id, second.id])
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/edit")
    assert "Event published with 2 talks." in organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert _statuses(db, first, second, draft_day["unready"]) == [Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT]
    public = client.get("/events/journee-brouillon").get_data(as_text=True)
    assert "Fablab en médiathèque" in public and "Grainothèque partagée" in public
    assert "Table ronde à venir" not in public
    entries = db.session.execute(select(AuditEntry.user_id, AuditEntry.action, AuditEntry.object_kind,
                                        AuditEntry.object_id).order_by(AuditEntry.id)).all()
    assert entries == [(user.id, "publish", "event", event.id), (user.id, "publish", "talk", first.id),
                       (user.id, "publish", "talk", second.id)]


def test_an_unticked_talk_stays_a_draft(db, manage_client, draft_day):
    client, _ = manage_client()
    event, (first, second) = draft_day["event"], draft_day["ready"]
    response = _publish(client, event, [second.id])
    assert "Event published with 1 talk." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _statuses(db, event, first, second) == [Status.PUBLISHED, Status.DRAFT, Status.PUBLISHED]


def test_the_search_index_follows(db, manage_client, draft_day, drain, found):
    client, _ = manage_client()
    drain()
    assert found("grainothèque") == []
    _publish(client, draft_day["event"], [talk.id for talk in draft_day["ready"]])
    drain()
    assert found("grainothèque") == [draft_day["ready"][1].slug]


@pytest.mark.parametrize("bad", ["unready", "published", "other event", "unknown", "abc", "-1"])
def test_talks_that_cannot_go_with_the_event_are_refused_and_nothing_changes(
        db, manage_client, make_talk, make_speaker, draft_day, bad):
    other = make_talk("Ailleurs", status=Status.DRAFT, speakers=[make_speaker()])
    db.session.commit()
    talk_id = {"unready": draft_day["unready"].id, "published": draft_day["published"].id,
               "other event": other.id, "unknown": 99999, "abc": "abc", "-1": "-1"}[bad]
    client, _ = manage_client()
    event, (first, _second) = draft_day["event"], draft_day["ready"]
    response = _publish(client, event, [first.id, talk_id])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "choose among the ready drafts listed below" in page or "Choose the talks to publish" in page
    assert _statuses(db, event, first, other) == [Status.DRAFT] * 3
    assert db.session.scalar(select(AuditEntry)) is None


def test_an_event_without_talks_is_published_by_its_button(db, client, manage_client, submit_form,
                                                           make_event):
    event = make_event("Journée vide", status=Status.DRAFT, slug="journee-vide")
    db.session.commit()
    organiser, _ = manage_client()
    edit = f"/manage/events/{event.id}/edit"
    assert f'action="/manage/events/{event.id}/publish"' in organiser.get(edit).get_data(as_text=True)
    assert "This event has no draft talks." in _confirmation(organiser, event)
    response = submit_form(organiser, edit, {}, f"/manage/events/{event.id}/publish")
    assert "Event published." in organiser.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/events/journee-vide").status_code == 200


def test_a_published_event_sends_the_confirmation_back_to_its_page(db, manage_client, make_event):
    event = make_event("Publiée")
    db.session.commit()
    client, _ = manage_client()
    response = client.get(f"/manage/events/{event.id}/publish")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/manage/events/{event.id}/edit")


def test_speakers_and_strangers_cannot_publish(db, client, make_user, login_as, draft_day):
    event = draft_day["event"]
    url = f"/manage/events/{event.id}/publish"
    response = client.post(url, data={"talks": [str(draft_day["ready"][0].id)]})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    speaker = make_user("speaker")
    db.session.commit()
    login_as(speaker)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"talks": [str(draft_day["ready"][0].id)]}).status_code == 403
    assert _statuses(db, event, draft_day["ready"][0]) == [Status.DRAFT, Status.DRAFT]
