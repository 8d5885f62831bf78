"""Schedule import (frab/pretalx, XML and JSON): real exports, each XML shape, idempotence, matching,
bad records, hostile XML."""
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.core.naming import person_name_key
from webapp.extensions import db as _db
from webapp.importing.frab_import import import_schedule
from webapp.importing.frab_reading import ScheduleError
from webapp.models import AuditEntry, Event, SearchQueueEntry, Speaker, SpeakerAlias, Status, Talk

pytestmark = pytest.mark.usefixtures("english_messages")

DATA = Path(__file__).parent / "data" / "frab"
JSON_KEYS = ("title", "acronym", "start", "end", "days", "daysCount", "index", "date", "day_start", "day_end", "rooms",
             "Salle", "guid", "id", "room", "duration", "persons", "public_name", "links", "url", "track", "abstract",
             "events", "recording_license", "do_not_record", "logo", "attachments")


def schedule_bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


def run(db, name: str, **options):
    report = import_schedule(schedule_bytes(name), fetch_slides=False, **options)
    db.session.commit()
    return report


def count(db, model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def talk_with_guid(db, guid: str) -> Talk:
    return db.session.scalar(select(Talk).where(Talk.import_key == guid))


def test_pretalx_json_export_imports_every_session(db):
    report = run(db, "pretalx-democon.json")
    assert (report.events_created, report.talks_created, report.skipped) == (1, 36, [])
    event = report.event
    assert (event.title, event.import_key, event.status) == ("DemoCon", "frab:democon", Status.DRAFT)
    assert (event.start_date, event.end_date) == (date(2020, 12, 14), date(2020, 12, 16))
    talk = talk_with_guid(db, "8079583e-8321-506c-95af-fd2903a5f075")
    assert talk.title == "Focused 5thgeneration hardware"
    assert talk.starts_at == datetime(2020, 12, 14, 8, 0, tzinfo=timezone.utc)  # 09:00+01:00
    assert (talk.given_on, talk.duration_minutes, talk.room, talk.language) == (date(2020, 12, 14), 30,
                                                                                 "Gray Room", "en")
    assert [speaker.name for speaker in talk.speakers] == ["Brian Robinson"]
    assert [tag.name for tag in talk.tags] == ["phased"]
    assert talk.summary_source.startswith("Brand back-end models!\n\nStation provide certain mean.")
    assert talk.summary.startswith("<p>Brand back-end models!</p>")


def test_frab_json_export_imports_every_session(db):
    report = run(db, "frab-camp2019.json")
    assert (report.talks_created, report.skipped) == (79, [])
    assert report.event.import_key == "frab:camp2019"
    opening = talk_with_guid(db, "a0a0fcfe-b7fb-46e3-84b6-97a5406016b4")
    assert opening.title == "Opening Ceremony" and opening.room == "Curie"
    assert {speaker.name for speaker in opening.speakers} == {"jinxx", "smtw"}


def test_a_second_import_changes_nothing_and_writes_no_audit_nor_queue(db):
    first = run(db, "pretalx-democon.json")
    assert first.changed_anything
    audit, queued = count(db, AuditEntry), count(db, SearchQueueEntry)
    updated_at = {talk.id: talk.updated_at for talk in db.session.scalars(select(Talk))}
    again = run(db, "pretalx-democon.json")
    assert (again.events_created, again.events_updated, again.talks_created, again.talks_updated) == (0, 0, 0, 0)
    assert (again.talks_unchanged, again.speakers_created) == (36, 0)
    assert not again.changed_anything
    assert (count(db, AuditEntry), count(db, SearchQueueEntry)) == (audit, queued)
    assert {talk.id: talk.updated_at for talk in db.session.scalars(select(Talk))} == updated_at


def test_a_changed_session_is_updated_in_place(db):
    run(db, "minimal.xml")
    changed = schedule_bytes("minimal.xml").replace(b"<duration>00:45</duration>", b"<duration>01:15</duration>")
    report = import_schedule(changed, fetch_slides=False)
    db.session.commit()
    assert (report.talks_created, report.talks_updated) == (0, 1)
    assert talk_with_guid(db, "11111111-1111-4111-8111-111111111111").duration_minutes == 75
    assert count(db, Talk) == 1


def test_minimal_xml(db):
    report = run(db, "minimal.xml")
    talk = talk_with_guid(db, "11111111-1111-4111-8111-111111111111")
    assert report.event.title == "Journée minimale" and report.event.start_date == date(2026, 3, 4)
    assert talk.starts_at == datetime(2026, 3, 4, 8, 30, tzinfo=timezone.utc)
    assert (talk.room, talk.tags, talk.speakers, talk.licence, talk.links) == ("Amphithéâtre", [], [], None, [])


def test_several_days_and_rooms(db):
    report = run(db, "days-and-rooms.xml")
    assert report.talks_created == 3
    talks = {talk.title: talk for talk in report.event.talks}
    assert talks["Premier jour, salle B"].room == "Salle B"
    assert talks["Premier jour, salle B"].duration_minutes == 30
    assert talks["Deuxième jour"].given_on == date(2026, 5, 12)
    assert [t.title for t in sorted(report.event.talks, key=lambda t: t.position)] == [
        "Premier jour, salle A", "Premier jour, salle B", "Deuxième jour"]
    assert report.event.website_url == "https://example.org/deux-jours"
    assert [s.name for s in talks["Premier jour, salle B"].speakers] == ["Léa Dupont", "Paul Durand"]
    assert report.speakers_created == 2  # Léa Dupont is one speaker, in two talks


def test_persons_links_attachments_and_recording_licence(db):
    run(db, "full.xml")
    talk = talk_with_guid(db, "33333333-3333-4333-8333-000000000001")
    assert talk.licence == "CC-BY-SA-4.0"
    assert talk.video_url == "https://videos.example.org/archiver.mp4"
    assert talk.links == [{"url": "https://example.org/blog/archiver", "label": "Le billet"},
                          {"url": "https://example.org/files/notes.txt", "label": "Notes"}]
    assert talk.summary_source == ("Ce que nous avons appris\n\nUn **résumé** en Markdown.\n\n"
                                   "Une description plus longue.")
    assert "<strong>résumé</strong>" in talk.summary
    assert [s.name for s in talk.speakers] == ["Camille Martin"] and talk.language == "fr"


def test_persons_are_matched_to_confirmed_names_and_aliases(db, make_speaker):
    lea = make_speaker("Léa Dupont")
    paul = make_speaker("Paul-Henri Durand")
    db.session.add(SpeakerAlias(speaker=paul, name="Paul Durand", name_key=person_name_key("Paul Durand"),
                                is_confirmed=True))
    db.session.commit()
    report = run(db, "days-and-rooms.xml")
    assert report.speakers_created == 0
    talk = talk_with_guid(db, "22222222-2222-4222-8222-000000000002")
    assert [s.id for s in talk.speakers] == [lea.id, paul.id]
    assert count(db, Speaker) == 2


def test_an_unconfirmed_alias_is_not_matched(db, make_speaker):
    paul = make_speaker("Paul-Henri Durand")
    db.session.add(SpeakerAlias(speaker=paul, name="Paul Durand", name_key=person_name_key("Paul Durand"),
                                is_confirmed=False))
    db.session.commit()
    talk_speakers = run(db, "days-and-rooms.xml") and talk_with_guid(db, "22222222-2222-4222-8222-000000000002")
    assert paul.id not in [s.id for s in talk_speakers.speakers]


def test_a_bad_record_is_reported_and_skipped_the_rest_imports(db):
    report = run(db, "bad-record.xml")
    assert report.talks_created == 1
    [skipped] = report.skipped
    assert "55555555-5555-4555-8555-000000000002" in skipped.path and "Une séance sans heure" in skipped.path
    assert "date" in skipped.reason and "duration" in skipped.reason
    assert talk_with_guid(db, "55555555-5555-4555-8555-000000000001") is not None


def test_the_invalid_example_is_refused_record_by_record(db):
    report = run(db, "invalid-example.json")
    [skipped] = report.skipped
    assert "7a0fc001-e587-47e1-b378-b6ec7e666337" in skipped.path
    assert "'dsadf' is not a valid value" in skipped.reason
    assert count(db, Talk) == 0


@pytest.mark.parametrize(("data", "message"), [
    (b"", "neither"),
    (b"<html><body>Not found</body></html>", "root is <html>"),
    (b"<schedule><version>1</version></schedule>", "schema"),
    (b"<schedule><unclosed>", "not well-formed"),
    (b'{"schedule": 1}', "no schedule.conference"),
    (b"{not json", "not valid JSON"),
])
def test_a_file_that_is_no_schedule_is_refused_whole(db, data, message):
    with pytest.raises(ScheduleError, match=message):
        import_schedule(data, fetch_slides=False)
    assert count(db, Event) == 0


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe.xml"])
def test_entity_bombs_and_external_entities_are_refused(db, name):
    with pytest.raises(ScheduleError, match="DTD or entities.*refused for safety"):
        import_schedule(schedule_bytes(name), fetch_slides=False)
    assert count(db, Event) == 0


def test_an_import_is_audited_once_when_it_changes_something(db, make_user):
    organiser = make_user("organiser")
    run(db, "minimal.xml", user=organiser)
    run(db, "minimal.xml", user=organiser)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.user_id == organiser.id and entry.object_label == "Journée minimale"


def test_a_schedule2_json_document_is_checked_with_its_json_schema_and_imported(db):
    report = run(db, "schedule2.json")
    assert (report.talks_created, report.skipped) == (1, [])  # the break is no talk
    talk = talk_with_guid(db, "66666666-6666-4666-8666-000000000001")
    assert (talk.room, talk.duration_minutes, talk.summary_source) == ("Grande salle", 45, "Le résumé, en français.")
    assert talk.starts_at == datetime(2026, 9, 10, 8, 0, tzinfo=timezone.utc)
    assert [s.name for s in talk.speakers] == ["Inès Moreau"] and [t.name for t in talk.tags] == ["formats"]
    broken = schedule_bytes("schedule2.json").replace(b'"language": "fr"', b'"language": "french"')
    with pytest.raises(ScheduleError, match="schedule JSON Schema.*language"):
        import_schedule(broken, fetch_slides=False)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.sampled_from(JSON_KEYS), children, max_size=6), max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conference=st.dictionaries(st.sampled_from(JSON_KEYS), json_values, max_size=8))
def test_any_json_shape_is_imported_or_refused_with_a_message(app, conference):
    """Never anything but a ScheduleError or a report, whatever the JSON holds."""
    data = json.dumps({"schedule": {"version": "1", "conference": conference}}).encode()
    try:
        import_schedule(data, fetch_slides=False)
    except ScheduleError as error:
        assert str(error)
    finally:
        _db.session.rollback()
