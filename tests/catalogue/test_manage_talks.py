"""Workspace: talks, their speakers, publication, search and the draft preview (CSRF on)."""
from datetime import date, datetime, timezone

from sqlalchemy import select

from webapp.models import AuditEntry, Speaker, Status, Talk


def _talk_data(event_id, **overrides):
    return {"event_id": str(event_id), "title": "Le fablab de la médiathèque",
            "summary": "Un *retour* d'expérience", "context": "Une petite ville",
            "lessons": "Commencer petit", "language": "fr", "given_on": "2024-03-14",
            "start_time": "14:30", "duration_minutes": "25", "video_url": "https://video.example.org/1",
            "licence": "CC-BY-4.0", "series_title": "Fablabs", "series_position": "2",
            "tags": "fablab, #MedNum", "speakers": "Sophie Martin\nJean Dupont", **overrides}


def _new_talk(client, submit_form, event_id, **overrides):
    response = submit_form(client, "/manage/talks/new", _talk_data(event_id, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def test_create_talk_with_sections_time_series_and_speakers_in_order(
        db, manage_client, submit_form, make_event, make_speaker):
    event = make_event("Journée", start_date=date(2024, 3, 14))
    existing = make_speaker("Jean Dupont")
    db.session.commit()
    client, _ = manage_client()
    _new_talk(client, submit_form, event.id)
    talk = db.session.scalar(select(Talk))
    assert talk.status == Status.DRAFT and talk.published_at is None
    assert talk.slug == "le-fablab-de-la-mediatheque"
    assert [s.name for s in talk.speakers] == ["Sophie Martin", "Jean Dupont"]
    assert talk.speakers[1].id == existing.id  # recognised, not duplicated
    assert talk.starts_at == datetime(2024, 3, 14, 13, 30, tzinfo=timezone.utc)  # Paris, UTC+1
    assert talk.context == "<p>Une petite ville</p>" and "<em>retour</em>" in talk.summary
    assert (talk.series.title, talk.series_position, talk.licence) == ("Fablabs", 2, "CC-BY-4.0")
    assert [t.name for t in talk.tags] == ["fablab", "mednum"]


def test_editing_reorders_and_detaches_speakers(db, manage_client, submit_form, make_event):
    event = make_event("Journée")
    db.session.commit()
    client, _ = manage_client()
    _new_talk(client, submit_form, event.id, speakers="A One\nB Two\nC Three")
    talk = db.session.scalar(select(Talk))
    submit_form(client, f"/manage/talks/{talk.id}/edit",
                _talk_data(event.id, speakers="C Three\nA One"))
    db.session.expire_all()
    assert [s.name for s in talk.speakers] == ["C Three", "A One"]
    assert db.session.scalar(select(Speaker).where(Speaker.name == "B Two")) is not None
    change = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert change.changes["speakers"] == ["A One, B Two, C Three", "C Three, A One"]


def test_the_edit_form_shows_the_stored_values(db, manage_client, submit_form, make_event):
    event = make_event("Journée", start_date=date(2024, 3, 14))
    db.session.commit()
    client, _ = manage_client()
    _new_talk(client, submit_form, event.id)
    talk = db.session.scalar(select(Talk))
    page = client.get(f"/manage/talks/{talk.id}/edit").get_data(as_text=True)
    assert 'value="14:30"' in page and "Sophie Martin\nJean Dupont" in page
    assert 'value="fablab, mednum"' in page and 'value="Fablabs"' in page


def test_bad_talk_input_is_a_form_error(db, manage_client, submit_form, make_event):
    event = make_event("Journée")
    db.session.commit()
    client, _ = manage_client()
    for bad in ({"video_url": "javascript:alert(1)"}, {"video_url": "ftp://x.org/v"},
                {"event_id": "999"}, {"event_id": "abc"}, {"licence": "WTFPL-9"},
                {"language": "xx"}, {"duration_minutes": "-5"}, {"start_time": "25:99"},
                {"title": ""}):
        response = submit_form(client, "/manage/talks/new", {**_talk_data(event.id), **bad})
        assert response.status_code == 422, bad
    assert db.session.scalar(select(Talk)) is None


def test_drafts_stay_hidden_until_published_then_search_finds_them(
        db, client, manage_client, submit_form, make_event, drain, found):
    event = make_event("Journée")
    db.session.commit()
    organiser, _ = manage_client()
    _new_talk(organiser, submit_form, event.id, title="Grainothèque en bibliothèque")
    talk = db.session.scalar(select(Talk))
    drain()
    assert client.get(f"/talks/{talk.slug}").status_code == 404
    assert found("grainothèque") == []
    edit = f"/manage/talks/{talk.id}/edit"
    assert submit_form(organiser, edit, {}, f"/manage/talks/{talk.id}/publish").status_code == 302
    drain()
    assert client.get(f"/talks/{talk.slug}").status_code == 200
    assert found("grainothèque") == [talk.slug]
    db.session.expire_all()
    first_published = talk.published_at
    assert first_published is not None
    submit_form(organiser, edit, {}, f"/manage/talks/{talk.id}/unpublish")
    drain()
    assert client.get(f"/talks/{talk.slug}").status_code == 404
    assert found("grainothèque") == []
    submit_form(organiser, edit, {}, f"/manage/talks/{talk.id}/publish")
    db.session.expire_all()
    assert talk.published_at == first_published  # set on the first publication only


def test_a_published_talk_of_a_draft_event_stays_hidden(db, client, manage_client, submit_form,
                                                         make_event, make_talk):
    event = make_event("Brouillon", status=Status.DRAFT)
    talk = make_talk("Retour", event=event, status=Status.DRAFT)
    db.session.commit()
    organiser, _ = manage_client()
    response = submit_form(organiser, f"/manage/talks/{talk.id}/edit", {},
                           f"/manage/talks/{talk.id}/publish")
    assert response.status_code == 302
    assert "once its event is published" in organiser.get(
        response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/talks/{talk.slug}").status_code == 404


def test_preview_renders_the_public_template_with_a_banner(db, client, manage_client,
                                                           make_event, make_talk, make_speaker):
    event = make_event("Journée brouillon", status=Status.DRAFT)
    talk = make_talk("Retour brouillon", event=event, status=Status.DRAFT,
                     speakers=[make_speaker("Ada Lovelace")], summary="<p>Résumé secret</p>")
    make_talk("Autre talk publié", event=event)
    db.session.commit()
    organiser, _ = manage_client()
    response = organiser.get(f"/manage/talks/{talk.id}/preview")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "Preview — not public" in page and "This talk is a draft." in page
    assert '<article class="talk">' in page  # the public talk template
    assert "Retour brouillon" in page and "Ada Lovelace" in page and "Résumé secret" in page
    assert "Autre talk publié" in page  # the programme, as it will read once published
    assert client.get(f"/talks/{talk.slug}").status_code == 404
    event_page = organiser.get(f"/manage/events/{event.id}/preview").get_data(as_text=True)
    assert "Preview — not public" in event_page and "Autre talk publié" in event_page
    # the preview shows the whole programme, drafts marked and linked to their own preview
    assert "Retour brouillon" in event_page and "Draft: not public" in event_page
    assert f"/manage/talks/{talk.id}/preview" in event_page


def test_delete_talk_requires_confirmation(db, manage_client, submit_form, make_talk, drain, found):
    talk = make_talk("Bibliothèque troisième lieu")
    db.session.commit()
    drain()
    assert found("troisième") == [talk.slug]
    client, _ = manage_client()
    talk_id = talk.id
    assert client.get(f"/manage/talks/{talk_id}/delete").status_code == 200
    assert db.session.get(Talk, talk_id) is not None
    assert client.post(f"/manage/talks/{talk_id}/delete").status_code == 400  # no token
    response = submit_form(client, f"/manage/talks/{talk_id}/delete", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Talk, talk_id) is None
    drain()
    assert found("troisième") == []


def test_talk_list_filters_by_event_and_status(db, manage_client, make_event, make_talk):
    one, two = make_event("Une"), make_event("Deux")
    make_talk("Premier talk", event=one)
    make_talk("Second talk", event=two, status=Status.DRAFT)
    db.session.commit()
    client, _ = manage_client()
    page = client.get(f"/manage/talks/?event={one.id}").get_data(as_text=True)
    assert "Premier talk" in page and "Second talk" not in page
    page = client.get("/manage/talks/?status=draft").get_data(as_text=True)
    assert "Second talk" in page and "Premier talk" not in page
    assert client.get("/manage/talks/?event=abc").status_code == 200  # ignored, like no filter
