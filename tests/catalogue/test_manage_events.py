"""Workspace: events, with CSRF on: create, edit, publish, unpublish, delete, programme order."""
from datetime import date

from sqlalchemy import select

from webapp.models import AuditEntry, Event, Status, Talk


def _event_data(**overrides):
    return {"title": "Journée MedNum", "start_date": "2024-03-14", "end_date": "2024-03-15",
            "place": "Lyon", "host_organisation": "BM Lyon", "website_url": "https://example.org",
            "description": "Une **journée** <script>alert(1)</script>", "tags": "#MedNum, savoirs",
            **overrides}


def test_create_event_makes_a_sanitised_draft_with_normalised_tags(db, manage_client, submit_form):
    client, user = manage_client()
    response = submit_form(client, "/manage/events/new", _event_data())
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/edit")
    assert event.status == Status.DRAFT and event.slug == "journee-mednum"
    assert event.start_date == date(2024, 3, 14)
    assert "<strong>journée</strong>" in event.description and "<script>" not in event.description
    assert [tag.name for tag in event.tags] == ["mednum", "savoirs"]
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.user_id, entry.action, entry.object_kind, entry.object_id) == (
        user.id, "create", "event", event.id)
    assert entry.changes["title"] == [None, "Journée MedNum"]


def test_a_post_without_the_csrf_token_is_refused(db, manage_client):
    client, _ = manage_client()
    response = client.post("/manage/events/new", data=_event_data())
    assert response.status_code == 400
    assert db.session.scalar(select(Event)) is None


def test_bad_input_shows_the_form_again_with_messages(db, manage_client, submit_form):
    client, _ = manage_client()
    response = submit_form(client, "/manage/events/new", _event_data(
        title="", website_url="javascript:alert(1)", start_date="2024-03-15", end_date="2024-03-01"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the event a title." in page and "This field is required." not in page
    assert "starting with http:// or https://" in page
    assert "The last day cannot be before the first day." in page
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(Event)) is None


def test_nonsense_dates_are_form_errors_not_500(db, manage_client, submit_form):
    client, _ = manage_client()
    response = submit_form(client, "/manage/events/new", _event_data(start_date="2024-13-45"))
    assert response.status_code == 422


def test_editing_keeps_the_slug_unless_the_organiser_changes_it(db, client, manage_client,
                                                                 submit_form, make_event):
    event = make_event("Ancien titre", slug="ancien-titre")
    db.session.commit()
    organiser, _ = manage_client()
    url = f"/manage/events/{event.id}/edit"
    submit_form(organiser, url, _event_data(title="Nouveau titre"))
    db.session.expire_all()
    assert (event.title, event.slug) == ("Nouveau titre", "ancien-titre")
    submit_form(organiser, url, _event_data(title="Nouveau titre", slug="nouveau-titre"))
    db.session.expire_all()
    assert event.slug == "nouveau-titre"
    moved = client.get("/events/ancien-titre")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/events/nouveau-titre")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.changes["slug"] == ["ancien-titre", "nouveau-titre"]


def test_an_invalid_slug_is_refused(db, manage_client, submit_form, make_event):
    event = make_event("Titre")
    db.session.commit()
    client, _ = manage_client()
    response = submit_form(client, f"/manage/events/{event.id}/edit", _event_data(slug="Pas Un Slug!"))
    assert response.status_code == 422
    assert "pas-un-slug" in response.get_data(as_text=True)


def test_publish_and_unpublish_change_what_the_public_sees(db, client, manage_client, submit_form,
                                                          make_event, make_talk):
    event = make_event("Brouillon", status=Status.DRAFT, slug="brouillon")
    make_talk("Un retour", event=event)
    db.session.commit()
    organiser, _ = manage_client()
    assert client.get("/events/brouillon").status_code == 404
    edit = f"/manage/events/{event.id}/edit"
    assert submit_form(organiser, edit, {}, f"/manage/events/{event.id}/publish").status_code == 302
    assert client.get("/events/brouillon").status_code == 200
    submit_form(organiser, edit, {}, f"/manage/events/{event.id}/unpublish")
    assert client.get("/events/brouillon").status_code == 404
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["publish", "unpublish"]


def test_publish_needs_post_and_a_token(db, manage_client, make_event):
    event = make_event("Brouillon", status=Status.DRAFT)
    db.session.commit()
    client, _ = manage_client()
    assert client.get(f"/manage/events/{event.id}/publish").status_code == 200  # asks first
    assert client.post(f"/manage/events/{event.id}/publish").status_code == 400
    db.session.expire_all()
    assert event.status == Status.DRAFT


def test_delete_asks_for_confirmation_then_removes_the_event_and_its_talks(
        db, manage_client, submit_form, make_event, make_talk):
    event = make_event("À supprimer")
    make_talk("Talk one", event=event)
    db.session.commit()
    event_id = event.id
    client, _ = manage_client()
    confirm = client.get(f"/manage/events/{event_id}/delete")
    assert confirm.status_code == 200
    assert "Its 1 talks will be deleted too." in confirm.get_data(as_text=True)
    assert db.session.get(Event, event_id) is not None
    response = submit_form(client, f"/manage/events/{event_id}/delete", {})
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/events/")
    db.session.expire_all()
    assert db.session.get(Event, event_id) is None
    assert db.session.scalar(select(Talk)) is None
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.object_label) == ("delete", "À supprimer")


def test_unknown_ids_are_404(manage_client):
    client, _ = manage_client()
    assert client.get("/manage/events/999/edit").status_code == 404
    assert client.get("/manage/events/999/preview").status_code == 404
    assert client.get(f"/manage/talks/{10**30}/edit").status_code == 404
    assert client.get("/manage/speakers/abc/edit").status_code == 404


def test_programme_order_moves_talks_up_and_down(db, client, manage_client, submit_form,
                                                 make_event, make_talk):
    event = make_event("Journée", slug="journee")
    first = make_talk("Alpha", event=event, position=0)
    second = make_talk("Beta", event=event, position=1)
    third = make_talk("Gamma", event=event, position=2)
    db.session.commit()
    organiser, _ = manage_client()
    programme = f"/manage/events/{event.id}/programme"
    response = submit_form(organiser, programme, {"direction": "up"},
                           f"/manage/events/{event.id}/programme/{third.id}/move")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#talk-{third.id}")
    public = client.get("/events/journee").get_data(as_text=True)
    assert public.index("Alpha") < public.index("Gamma") < public.index("Beta")
    submit_form(organiser, programme, {"direction": "up"},
                f"/manage/events/{event.id}/programme/{first.id}/move")  # already first
    db.session.expire_all()
    assert [t.id for t in db.session.scalars(
        select(Talk).order_by(Talk.position))] == [first.id, third.id, second.id]
    assert db.session.scalars(select(AuditEntry.action)).all() == ["reorder"]


def test_programme_move_refuses_bad_directions_and_other_events_talks(
        db, manage_client, submit_form, make_event, make_talk):
    event, other = make_event("Une"), make_event("Autre")
    talk = make_talk("Alpha", event=other)
    db.session.commit()
    client, _ = manage_client()
    programme = f"/manage/events/{other.id}/edit"  # a page with a form, for the token
    move = f"/manage/events/{event.id}/programme/{talk.id}/move"
    assert submit_form(client, programme, {"direction": "down"}, move).status_code == 400
    move_own = f"/manage/events/{other.id}/programme/{talk.id}/move"
    assert submit_form(client, programme, {"direction": "sideways"}, move_own).status_code == 400


def test_lists_filter_and_reject_bad_query_strings(db, manage_client, make_event):
    make_event("Rencontres numériques", status=Status.DRAFT)
    make_event("Journée publique")
    db.session.commit()
    client, _ = manage_client()
    drafts = client.get("/manage/events/?status=draft").get_data(as_text=True)
    assert "Rencontres numériques" in drafts and "Journée publique" not in drafts
    found = client.get("/manage/events/?q=publique").get_data(as_text=True)
    assert "Journée publique" in found and "Rencontres" not in found
    assert client.get("/manage/events/?q=100%25_").status_code == 200
    assert client.get("/manage/events/?status=bogus").status_code == 400
    assert client.get("/manage/events/?page=0").status_code == 400
    assert client.get("/manage/events/?page=9").status_code == 404
