"""The audit log and the dashboard's recent changes as organisers read them: each entry links to the
record's workspace page while it exists, and fields and values read in the reader's language, with
no raw HTML, no hash and no secret."""
import re

import pytest
from sqlalchemy import select

from webapp.catalogue.operations.events import publish_event
from webapp.catalogue.operations.talks import delete_talk
from webapp.core.audit import record_audit, record_change
from webapp.models import AuditEntry, Event, User

HEX_64 = re.compile(r"[0-9a-f]{64}")


def _event_form(**overrides):
    return {"title": "Journée MedNum", "start_date": "2026-11-20", "end_date": "2026-11-21",
            "description": "Un **programme** riche, des [ateliers](https://example.org).",
            "show_view_counts": "y", **overrides}


@pytest.fixture
def admin(manage_client):
    return manage_client("admin")


def _changes_of(page: str) -> str:
    """The text of the audit log's table: tags removed, spaces collapsed."""
    table = page[page.index("<table"):page.index("</table>")]
    return " ".join(re.sub(r"<[^>]+>", " ", table).split())


def _created_and_published_event(db, client, user, submit_form) -> Event:
    submit_form(client, "/manage/events/new", _event_form())
    event = db.session.scalar(select(Event))
    publish_event(db.session.get(User, user.id), event)
    db.session.commit()
    return event


def test_the_log_names_fields_and_shows_values_in_english(db, admin, submit_form):
    client, user = admin
    _created_and_published_event(db, client, user, submit_form)
    page = client.get("/manage/audit").get_data(as_text=True)
    changes = _changes_of(page)
    assert "First day — → November 20, 2026" in changes and "Last day — → November 21, 2026" in changes
    assert "Show view counts on the pages of its talks — → Yes" in changes
    assert "Status Draft → Published" in changes
    assert "Description — → Un programme riche, des ateliers." in changes
    assert "start_date" not in changes and "show_view_counts" not in changes and "True" not in changes
    table = page[page.index("<table"):page.index("</table>")]
    assert "<p>" not in table and "&lt;p&gt;" not in table


def test_the_log_reads_in_french_for_a_french_reader(db, admin, submit_form):
    client, user = admin
    _created_and_published_event(db, client, user, submit_form)
    client.set_cookie("lang", "fr")
    changes = _changes_of(client.get("/manage/audit").get_data(as_text=True))
    assert "Premier jour — → 20 novembre 2026" in changes and "Dernier jour — → 21 novembre 2026" in changes
    assert "Statut Brouillon → Publié" in changes and "Titre — → Journée MedNum" in changes
    assert "November" not in changes and "Draft" not in changes


def test_a_talks_event_day_and_start_read_as_words(db, admin, submit_form, make_event):
    client, _user = admin
    event = make_event("Rencontres de Lyon")
    db.session.commit()
    submit_form(client, "/manage/talks/new", {"event_id": str(event.id), "title": "Fablab",
                                              "given_on": "2026-11-20", "start_time": "14:30",
                                              "language": "fr", "speakers": "Léa Dupont"})
    changes = _changes_of(client.get("/manage/audit?kind=talk").get_data(as_text=True))
    assert "Event — → Rencontres de Lyon" in changes and "Day — → November 20, 2026" in changes
    assert "Start time — → 11/20/26, 2:30" in changes  # 14:30 in Paris, Flask-Babel's short format
    assert "Language — → French" in changes and "Speakers — → Léa Dupont" in changes
    assert f"— → {event.id} " not in changes


def test_hashes_and_secrets_are_never_shown(db, admin, make_speaker):
    client, user = admin
    speaker = make_speaker("Léa Dupont")
    account = db.session.get(User, user.id)
    old_key, new_key = "a1" * 32, "b2" * 32
    record_change(account, "update", speaker, {"photo": None}, {"photo": old_key})
    record_change(account, "update", speaker, {"photo": old_key}, {"photo": new_key})
    record_audit(account, "update", account, {"password_hash": ["scrypt:32768:8:1$salt$" + "c3" * 32, None]})
    record_audit(account, "update", speaker, {"headline": ["Avant", "d4" * 32]})
    db.session.commit()
    page = client.get("/manage/audit").get_data(as_text=True)
    changes = _changes_of(page)
    assert HEX_64.search(page) is None and "scrypt" not in page
    assert "Photo added" in changes and "Photo changed" in changes and "password_hash removed" in changes
    assert "Headline changed" in changes


def test_long_values_are_shortened_with_an_ellipsis(db, admin, submit_form):
    client, _user = admin
    submit_form(client, "/manage/events/new", _event_form(title="Une journée " + "très " * 40 + "longue"))
    changes = _changes_of(client.get("/manage/audit").get_data(as_text=True))
    [shown] = re.findall(r"Title — → (Une journée[^…]*…)", changes)
    assert len(shown) <= 80


def test_rich_text_cut_by_the_log_reads_as_text_and_empty_values_as_nothing(db, admin, make_event):
    client, user = admin
    event = make_event("Journée coupée")
    record_audit(db.session.get(User, user.id), "update", event, {
        "description": ["<p>Des <strong>ateliers</strong>.</p><ul><li>lecture</li><li>code</li></u…",
                        '<p>Un <a href="https://example.org/un-tres-long-chem…'],
        "tags": [None, ""], "place": ["", "Lyon"]})
    db.session.commit()
    page = client.get("/manage/audit").get_data(as_text=True)
    changes = _changes_of(page)
    assert "Description Des ateliers. lecture code … → Un …" in changes
    assert "&lt;" not in page[page.index("<table"):page.index("</table>")]
    assert "Place — → Lyon" in changes and "Tags" not in changes


def test_recent_changes_link_to_the_workspace_pages_of_what_changed(db, manage_client, submit_form,
                                                                    make_speaker, make_talk):
    client, user = manage_client()
    submit_form(client, "/manage/events/new", _event_form(title="Journée liée"))
    event = db.session.scalar(select(Event))
    speaker = make_speaker("Léa Dupont")
    record_change(db.session.get(User, user.id), "update", speaker, {"headline": None}, {"headline": "Bibliothécaire"})
    db.session.commit()
    page = client.get("/manage/").get_data(as_text=True)
    assert f'<a href="/manage/events/{event.id}/edit"><strong>Journée liée</strong></a>' in page
    assert f'<a href="/manage/speakers/{speaker.id}/edit"><strong>Léa Dupont</strong></a>' in page


def test_a_deleted_record_keeps_its_label_without_a_link_even_when_its_id_comes_back(
        db, manage_client, make_talk, make_event):
    client, user = manage_client()
    organiser = db.session.get(User, user.id)
    gone = make_talk("Talk supprimé")
    record_change(organiser, "update", gone, {"title": "Talk à supprimer"}, {"title": "Talk supprimé"})
    gone_id = gone.id
    delete_talk(organiser, gone)
    db.session.commit()
    make_talk("Nouveau talk", id=gone_id)  # SQLite gives a new row the id of the last deleted one
    db.session.commit()
    record_change(organiser, "update", db.session.get(type(gone), gone_id), {"duration_minutes": None},
                  {"duration_minutes": "25"})
    db.session.commit()
    page = client.get("/manage/").get_data(as_text=True)
    assert "<strong>Talk supprimé</strong>" in page
    assert re.search(r'<a href="[^"]*"><strong>Talk supprimé</strong></a>', page) is None
    assert f'<a href="/manage/talks/{gone_id}/edit"><strong>Nouveau talk</strong></a>' in page


def test_the_log_links_too_and_accounts_link_for_admins_only(db, admin, make_user, login_as, submit_form):
    client, user = admin
    organiser = make_user("organiser")
    db.session.commit()
    submit_form(client, "/manage/tags/", {"name": "#MedNum"}, action="/manage/tags/new")
    record_audit(db.session.get(User, user.id), "end_sessions", organiser, {"sessions": ["2", "0"]})
    db.session.commit()
    tag_id = db.session.scalar(select(AuditEntry.object_id).where(AuditEntry.object_kind == "tag"))
    page = client.get("/manage/audit").get_data(as_text=True)
    assert f'<a href="/manage/tags/{tag_id}/edit"><strong>#mednum</strong></a>' in page
    assert f'<a href="/manage/accounts#account-{organiser.id}"><strong>{organiser.email}</strong></a>' in page
    assert "Open sessions 2 → 0" in _changes_of(page)
    assert f'id="account-{organiser.id}"' in client.get("/manage/accounts").get_data(as_text=True)
    login_as(organiser)  # the accounts page is for admins: an organiser's dashboard does not link to it
    dashboard = client.get("/manage/").get_data(as_text=True)
    assert "/manage/accounts#" not in dashboard and f"<strong>{organiser.email}</strong>" in dashboard
