"""Workspace: the talk list's bulk actions — tick talks, then publish, unpublish or add a tag, in
one request (issue 14, item 5)."""
import re

import pytest
from sqlalchemy import select

from webapp.models import AuditEntry, Status, Tag

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def listed(db, make_event, make_talk, make_speaker):
    """Two draft talks and a published one of a published event, and a draft of a draft event."""
    event = make_event("Journée publique")
    speaker = make_speaker("Léa Dupont")
    talks = {name: make_talk(title, event=event, speakers=[speaker], status=status)
             for name, title, status in (("fablab", "Fablab en médiathèque", Status.DRAFT),
                                         ("graines", "Grainothèque partagée", Status.DRAFT),
                                         ("jeux", "Jeux vidéo en bibliothèque", Status.PUBLISHED))}
    talks["hidden"] = make_talk("Atelier caché", event=make_event("Brouillon", status=Status.DRAFT),
                                status=Status.DRAFT)
    db.session.commit()
    return {"event": event, **talks}


def _batch(client, talks, action, query="", **data):
    token = TOKEN.search(client.get("/manage/talks/").get_data(as_text=True)).group(1)
    ids = [str(talk) if isinstance(talk, (int, str)) else str(talk.id) for talk in talks]
    return client.post(f"/manage/talks/batch{query}",
                       data={"csrf_token": token, "talks": ids, "action": action, **data})


def _flash(client, response) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _audit(db):
    return db.session.execute(select(AuditEntry.action, AuditEntry.object_kind, AuditEntry.object_id)
                              .order_by(AuditEntry.id)).all()


def test_the_list_offers_a_box_per_talk_and_keeps_its_filters_in_the_bulk_form(db, manage_client, listed):
    client, _ = manage_client()
    event = listed["event"]
    page = client.get(f"/manage/talks/?q=a&status=draft&event={event.id}").get_data(as_text=True)
    assert f'action="/manage/talks/batch?q=a&amp;status=draft&amp;event={event.id}"' in page
    assert f'name="talks" value="{listed["fablab"].id}"' in page
    assert 'data-select-all="talks"' in page and "js/select_all.js" in page
    for label in ("Add the tag", "Publish", "Unpublish"):
        assert f">{label}</button>" in page


def test_bulk_publish_publishes_the_drafts_audits_each_and_keeps_the_filters(
        db, client, manage_client, listed, drain, found):
    organiser, user = manage_client()
    fablab, graines, jeux = listed["fablab"], listed["graines"], listed["jeux"]
    query = f"?q=e&status=draft&event={listed['event'].id}"
    response = _batch(organiser, [fablab, graines, jeux], "publish", query)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/talks/{query}")
    assert "2 talks published." in _flash(organiser, response)
    db.session.expire_all()
    assert [talk.status for talk in (fablab, graines, jeux)] == [Status.PUBLISHED] * 3
    assert _audit(db) == [("publish", "talk", fablab.id), ("publish", "talk", graines.id)]
    assert {entry.user_id for entry in db.session.scalars(select(AuditEntry))} == {user.id}
    assert client.get(f"/talks/{fablab.slug}").status_code == 200
    drain()
    assert found("grainothèque") == [graines.slug]


def test_publishing_a_draft_events_talk_says_when_it_goes_public(db, manage_client, listed):
    client, _ = manage_client()
    response = _batch(client, [listed["hidden"]], "publish")
    assert "1 talk published; talks of a draft event go public once their event is published." in _flash(
        client, response)


def test_bulk_unpublish_makes_drafts_again(db, client, manage_client, listed, drain, found):
    organiser, _ = manage_client()
    jeux, fablab = listed["jeux"], listed["fablab"]
    drain()
    assert found("jeux vidéo") == [jeux.slug]
    response = _batch(organiser, [jeux, fablab], "unpublish")
    assert "1 talk withdrawn: it is a draft again." in _flash(organiser, response)
    assert _audit(db) == [("unpublish", "talk", jeux.id)]
    assert client.get(f"/talks/{jeux.slug}").status_code == 404
    drain()
    assert found("jeux vidéo") == []


def test_bulk_tag_adds_a_new_tag_to_the_talks_that_lack_it_and_the_index_follows(
        db, manage_client, make_tags, listed, drain, found):
    jeux, fablab = listed["jeux"], listed["fablab"]
    jeux.tags = make_tags("ludothèque")
    db.session.commit()
    drain()
    client, _ = manage_client()
    response = _batch(client, [jeux, fablab], "tag", tag=" #Ludothèque ")
    assert "Tag #ludothèque added to 1 talk." in _flash(client, response)
    response = _batch(client, [jeux, fablab, listed["graines"]], "tag", tag="#MedNum")
    assert "Tag #mednum added to 3 talks." in _flash(client, response)
    db.session.expire_all()
    assert [tag.name for tag in fablab.tags] == ["ludothèque", "mednum"]
    assert [tag.name for tag in jeux.tags] == ["ludothèque", "mednum"]
    mednum = db.session.scalar(select(Tag).where(Tag.name == "mednum"))
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.object_kind, e.object_id) for e in entries] == [
        ("update", "talk", fablab.id), ("create", "tag", mednum.id), ("update", "talk", fablab.id),
        ("update", "talk", listed["graines"].id), ("update", "talk", jeux.id)]
    assert entries[4].changes == {"tags": ["ludothèque", "ludothèque, mednum"]}
    drain()
    assert found(tag="mednum") == [jeux.slug]  # the only published one
    assert found(tag="ludothèque") == [jeux.slug]


@pytest.mark.parametrize(("talks", "action", "data", "message"), [
    ([], "publish", {}, "Select at least one talk: tick the box beside its title."),
    (["fablab", 99999], "publish", {}, "Some of the selected talks no longer exist"),
    (["fablab", 10**30], "publish", {}, "something that is not a talk of the list"),
    (["fablab", "abc"], "unpublish", {}, "something that is not a talk of the list"),
    (["fablab"], "tag", {"tag": ""}, "Enter the tag to add, such as #mednum."),
    (["fablab"], "tag", {"tag": " ### "}, "Enter the tag to add, such as #mednum."),
    (["fablab"], "tag", {"tag": "x" * 81}, "more than the 80 allowed"),
    (["fablab"], "delete", {}, "Choose what to do with the selected talks"),
])
def test_bad_input_shows_the_list_again_with_a_message_and_changes_nothing(
        db, manage_client, listed, talks, action, data, message):
    client, _ = manage_client()
    query = f"?status=draft&event={listed['event'].id}"
    chosen = [listed[name] if isinstance(name, str) and name in listed else name for name in talks]
    response = _batch(client, chosen, action, query, **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "Please correct the fields marked below." in page
    assert "Grainothèque partagée" in page and "Jeux vidéo" not in page  # still the filtered list
    if talks and talks[0] == "fablab":
        assert re.search(rf'value="{listed["fablab"].id}" [^>]*checked>', page)  # still ticked
    db.session.expire_all()
    assert listed["fablab"].status == Status.DRAFT and listed["fablab"].tags == []
    assert db.session.scalar(select(AuditEntry)) is None


def test_too_many_talks_at_once_are_refused(db, manage_client, listed):
    client, _ = manage_client()
    response = _batch(client, list(range(1, 202)), "publish")
    assert response.status_code == 422
    assert "Select at most 200 talks at a time." in response.get_data(as_text=True)


def test_bad_filters_and_missing_tokens_are_refused(db, manage_client, listed):
    client, _ = manage_client()
    assert _batch(client, [listed["fablab"]], "publish", "?status=bogus").status_code == 400
    response = client.post("/manage/talks/batch", data={"talks": [str(listed["fablab"].id)],
                                                        "action": "publish"})
    assert response.status_code == 400
    assert client.get("/manage/talks/batch").status_code == 405
    db.session.expire_all()
    assert listed["fablab"].status == Status.DRAFT


def test_speakers_and_strangers_cannot_use_the_bulk_actions(db, client, make_user, login_as, listed):
    data = {"talks": [str(listed["fablab"].id)], "action": "publish"}
    response = client.post("/manage/talks/batch", data=data)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_as(make_user("speaker"))
    assert client.post("/manage/talks/batch", data=data).status_code == 403
    db.session.expire_all()
    assert listed["fablab"].status == Status.DRAFT
