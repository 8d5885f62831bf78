"""The audit log: every change is recorded with who, what and which fields; admins read it."""
from sqlalchemy import select

from webapp.core.audit import VALUE_LENGTH
from webapp.models import AuditEntry, Status


def _create_event(client, submit_form, title="Journée", description=""):
    return submit_form(client, "/manage/events/new", {"title": title, "description": description})


def test_admins_read_the_log_and_organisers_may_not(db, manage_client, submit_form):
    organiser, user = manage_client()
    _create_event(organiser, submit_form, "Rencontres d'automne")
    assert organiser.get("/manage/audit").status_code == 403
    admin, _ = manage_client("admin")
    response = admin.get("/manage/audit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert user.email in page and "Rencontres d&#39;automne" in page and "created" in page


def test_the_log_filters_and_rejects_unknown_values(db, manage_client, submit_form, make_talk):
    organiser, user = manage_client()
    _create_event(organiser, submit_form, "Événement créé")
    talk = make_talk("Talk supprimé")
    db.session.commit()
    submit_form(organiser, f"/manage/talks/{talk.id}/delete", {})
    admin, _ = manage_client("admin")
    page = admin.get("/manage/audit?kind=talk").get_data(as_text=True)
    assert "Talk supprimé" in page and "Événement créé" not in page
    page = admin.get("/manage/audit?action=create").get_data(as_text=True)
    assert "Événement créé" in page and "Talk supprimé" not in page
    assert "Talk supprimé" in admin.get(f"/manage/audit?user={user.id}").get_data(as_text=True)
    assert admin.get("/manage/audit?kind=bogus").status_code == 400
    assert admin.get("/manage/audit?user=abc").status_code == 400
    assert admin.get("/manage/audit?page=50").status_code == 404


def test_changes_are_recorded_old_to_new_and_truncated(db, manage_client, submit_form):
    client, user = manage_client()
    _create_event(client, submit_form, "Avant")
    entry = db.session.scalar(select(AuditEntry))
    long_text = "mot " * 200
    submit_form(client, f"/manage/events/{entry.object_id}/edit",
                {"title": "Après", "description": long_text})
    update = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert update.user_id == user.id and update.object_label == "Après"
    assert update.changes["title"] == ["Avant", "Après"]
    old, new = update.changes["description"]
    assert old is None and len(new) == VALUE_LENGTH and new.endswith("…")
    assert update.created_at is not None


def test_saving_without_changes_writes_no_entry(db, manage_client, submit_form):
    client, _ = manage_client()
    _create_event(client, submit_form, "Stable")
    event_id = db.session.scalar(select(AuditEntry.object_id))
    submit_form(client, f"/manage/events/{event_id}/edit", {"title": "Stable"})
    assert db.session.scalars(select(AuditEntry.action)).all() == ["create"]


def test_the_dashboard_lists_drafts_and_recent_changes(db, manage_client, submit_form,
                                                       make_event, make_talk):
    make_talk("Talk à finir", status=Status.DRAFT, event=make_event("Publié"))
    make_event("Événement brouillon", status=Status.DRAFT)
    db.session.commit()
    client, user = manage_client()
    _create_event(client, submit_form, "Tout nouveau")
    page = client.get("/manage/").get_data(as_text=True)
    assert "Talk à finir" in page and "Événement brouillon" in page
    assert f"{user.email} created event" in " ".join(page.split())


def test_entries_outlive_deleted_accounts(db, manage_client, submit_form):
    from webapp.models import User

    client, user = manage_client()
    _create_event(client, submit_form, "Orphelin")
    db.session.delete(db.session.get(User, user.id))
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry))
    assert entry.user_id is None and entry.object_label == "Orphelin"
    admin, _ = manage_client("admin")
    assert "deleted account" in admin.get("/manage/audit").get_data(as_text=True)
