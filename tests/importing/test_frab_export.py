"""An event's programme as a frab schedule.xml: valid against the XSD, public talks only on the public
page, and a round trip (export, import into a fresh database: same talks, times, speakers)."""
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from webapp import create_app
from webapp.extensions import db as _db
from webapp.importing.frab_import import import_schedule
from webapp.importing.queries import event_schedule_xml
from webapp.models import Event, Status, Talk

XSD = etree.XMLSchema(etree.parse(str(Path(__file__).parents[2] / "webapp/importing/frab_schema/schedule.xml.xsd")))


def assert_valid(xml: bytes):
    document = etree.fromstring(xml)
    assert XSD.validate(document), XSD.error_log
    return document


@pytest.fixture
def programme(db, make_event, make_talk, make_speaker):
    event = make_event("Journée des causeries", slug="causeries-2026", start_date=date(2026, 3, 4),
                       end_date=date(2026, 3, 5), website_url="https://example.org/causeries")
    lea, paul = make_speaker("Léa Dupont"), make_speaker("Paul Durand")
    make_talk("Ouvrir la médiathèque", event=event, speakers=[lea, paul], tags=["numérique"], position=1,
              starts_at=datetime(2026, 3, 4, 8, 30, tzinfo=timezone.utc), given_on=date(2026, 3, 4),
              duration_minutes=45, room="Amphithéâtre", licence="CC-BY-4.0", language="fr",
              links=[{"url": "https://example.org/billet", "label": "Le billet"}])
    make_talk("Le lendemain", event=event, speakers=[lea], position=2, room="Salle B",
              starts_at=datetime(2026, 3, 5, 13, 0, tzinfo=timezone.utc), given_on=date(2026, 3, 5),
              duration_minutes=20)
    make_talk("Un brouillon", event=event, status=Status.DRAFT, position=3,
              starts_at=datetime(2026, 3, 5, 15, 0, tzinfo=timezone.utc), given_on=date(2026, 3, 5))
    db.session.commit()
    return event


def test_the_export_validates_and_holds_days_rooms_and_talks(programme):
    document = assert_valid(event_schedule_xml(programme, public_only=False))
    assert document.findtext("conference/title") == "Journée des causeries"
    assert document.findtext("conference/acronym") == "causeries-2026"
    assert [day.get("date") for day in document.iterfind("day")] == ["2026-03-04", "2026-03-05"]
    first = document.find("day/room/event")
    assert first.findtext("title") == "Ouvrir la médiathèque"
    assert (first.findtext("date"), first.findtext("start")) == ("2026-03-04T09:30:00+01:00", "09:30")
    assert (first.findtext("duration"), first.findtext("room"), first.findtext("track")) == ("00:45", "Amphithéâtre",
                                                                                             "numérique")
    assert [p.text for p in first.iterfind("persons/person")] == ["Léa Dupont", "Paul Durand"]
    assert first.findtext("recording/license") == "CC BY 4.0"
    assert first.find("links/link").get("href") == "https://example.org/billet"
    assert len(document.findall("day/room/event")) == 3


def test_public_only_leaves_drafts_out(programme):
    document = assert_valid(event_schedule_xml(programme, public_only=True))
    titles = [event.findtext("title") for event in document.iterfind("day/room/event")]
    assert titles == ["Ouvrir la médiathèque", "Le lendemain"]


def test_an_event_without_talks_still_validates(db, make_event):
    event = make_event("Vide", slug="vide")
    assert_valid(event_schedule_xml(event))


def test_the_public_page_links_a_valid_download_of_public_talks(client, programme):
    page = client.get("/events/causeries-2026").get_data(as_text=True)
    assert 'href="/events/causeries-2026/schedule.xml"' in page
    response = client.get("/events/causeries-2026/schedule.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert "attachment" in response.headers["Content-Disposition"]
    document = assert_valid(response.data)
    assert "Un brouillon" not in response.get_data(as_text=True)
    assert len(document.findall("day/room/event")) == 2
    again = client.get("/events/causeries-2026/schedule.xml", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_draft_event_has_no_public_schedule(client, db, make_event):
    make_event("Secret", slug="secret", status=Status.DRAFT)
    db.session.commit()
    assert client.get("/events/secret/schedule.xml").status_code == 404
    assert client.get("/events/nothing-here/schedule.xml").status_code == 404


def talks_seen(event_talks) -> list[tuple]:
    return sorted((talk.title, talk.starts_at, talk.duration_minutes, talk.room,
                   tuple(s.name for s in talk.speakers), tuple(t.name for t in talk.tags), talk.licence)
                  for talk in event_talks)


def test_round_trip_into_a_fresh_database(programme, tmp_path):
    """The fresh database is a SQLite file beside the test's (which may be PostgreSQL)."""
    xml = event_schedule_xml(programme)
    before = talks_seen(programme.talks)
    fresh = create_app({"TESTING": True, "SECRET_KEY": "test", "SERVER_NAME": None, "PAGE_CACHE": "off",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
                        "SEARCH_INDEX_DIR": str(tmp_path / "fresh-index"), "UPLOAD_DIR": str(tmp_path / "fresh-up"),
                        "PAGE_CACHE_DIR": str(tmp_path / "fresh-cache")})
    with fresh.app_context():
        _db.create_all()
        try:
            report = import_schedule(xml, fetch_slides=False)
            _db.session.commit()
            assert (report.talks_created, report.skipped) == (3, [])
            event = _db.session.scalar(select(Event))
            assert event.title == "Journée des causeries"
            assert talks_seen(_db.session.scalars(select(Talk))) == before
            assert import_schedule(event_schedule_xml(event), fetch_slides=False).talks_updated == 0
        finally:
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()
