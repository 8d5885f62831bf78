"""Atom feeds and event calendars: content, visibility, redirects and conditional GET."""
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.core.slugs import change_slug
from webapp.models import Status

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_SIZE = 3


@pytest.fixture
def app_config():
    return {"FEED_SIZE": FEED_SIZE}


def parse_feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.data)


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


def published_on(talk, day: int):
    talk.published_at = datetime(2020, 1, day, 12, tzinfo=timezone.utc)
    return talk


def link(element: ET.Element, rel: str) -> ET.Element:
    [found] = [item for item in element.findall(f"{ATOM}link") if item.get("rel") == rel]
    return found


# The site-wide feed -----------------------------------------------------------------------

def test_latest_talks_are_newest_first_and_limited_to_feed_size(db, client, make_talk):
    for day, title in [(3, "Third"), (1, "First"), (5, "Fifth"), (4, "Fourth"), (2, "Second")]:
        published_on(make_talk(title), day)
    db.session.commit()
    feed = parse_feed(client.get("/feeds/talks.atom"))
    assert titles(feed) == ["Fifth", "Fourth", "Third"][:FEED_SIZE]


def test_drafts_and_talks_of_draft_events_are_never_in_feeds(db, client, make_talk, make_event):
    make_talk("Public talk")
    make_talk("Draft talk", status=Status.DRAFT)
    make_talk("Talk of a draft event", event=make_event(status=Status.DRAFT))
    db.session.commit()
    assert titles(parse_feed(client.get("/feeds/talks.atom"))) == ["Public talk"]


def test_entry_carries_authors_in_order_categories_summary_and_dates(
        db, client, make_talk, make_speaker, make_event):
    event = make_event("Journée MedNum")
    speakers = [make_speaker("Zoé Dupont"), make_speaker("Anne Martin")]
    talk = make_talk("Le fablab", event=event, speakers=speakers, tags=["mednumsavoirs", "fablab"],
                     summary="<p>Un <em>retour</em> &amp; des chiffres</p>", language="fr")
    db.session.commit()
    [entry] = entries(parse_feed(client.get("/feeds/talks.atom")))
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == [
        "Zoé Dupont", "Anne Martin"]
    assert entry.find(f"{ATOM}author/{ATOM}uri").text.endswith(f"/speakers/{speakers[0].slug}")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["fablab", "mednumsavoirs"]
    assert entry.find(f"{ATOM}category").get("label") == "#fablab"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "<p>Un <em>retour</em> &amp; des chiffres</p>"
    assert entry.findtext(f"{ATOM}published") == "2016-10-05T09:00:00+00:00"
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) >= talk.published_at
    assert entry.get(XML_LANG) == "fr"


def test_entry_links_to_its_page_and_its_event_with_a_stable_id(db, client, make_talk):
    talk = make_talk("Le fablab", language="fr")
    db.session.commit()
    first = entries(parse_feed(client.get("/feeds/talks.atom")))[0]
    alternate = link(first, "alternate")
    assert alternate.get("href") == f"http://127.0.0.1:8000/talks/{talk.slug}"
    assert (alternate.get("type"), alternate.get("hreflang")) == ("text/html", "fr")
    assert link(first, "related").get("href") == f"http://127.0.0.1:8000/events/{talk.event.slug}"
    change_slug(talk, "Un autre titre")
    db.session.commit()
    again = entries(parse_feed(client.get("/feeds/talks.atom")))[0]
    assert again.findtext(f"{ATOM}id") == first.findtext(f"{ATOM}id")
    assert first.findtext(f"{ATOM}id").startswith("tag:")
    assert link(again, "alternate").get("href").endswith(f"/talks/{talk.slug}")


def test_feed_describes_itself_in_the_reader_language(db, client, make_talk):
    make_talk()
    db.session.commit()
    feed = parse_feed(client.get("/feeds/talks.atom", headers={"Accept-Language": "en"}))
    assert feed.get(XML_LANG) == "en"
    assert feed.findtext(f"{ATOM}title") == "Causeries: latest talks"
    assert feed.findtext(f"{ATOM}id") == "http://127.0.0.1:8000/feeds/talks.atom"
    assert link(feed, "self").get("href") == "http://127.0.0.1:8000/feeds/talks.atom"
    assert link(feed, "alternate").get("href") == "http://127.0.0.1:8000/"


def test_empty_archive_gives_a_valid_empty_feed(client):
    feed = parse_feed(client.get("/feeds/talks.atom"))
    assert entries(feed) == [] and feed.findtext(f"{ATOM}updated")


def test_talk_without_speakers_or_language_still_makes_a_valid_entry(db, client, make_talk):
    make_talk("Anonyme", language="fr FR")
    db.session.commit()
    feed = parse_feed(client.get("/feeds/talks.atom"))
    [entry] = entries(feed)
    assert entry.find(f"{ATOM}author") is None and feed.find(f"{ATOM}author") is not None
    assert entry.get(XML_LANG) is None and link(entry, "alternate").get("hreflang") is None


# Tag, event and speaker feeds -------------------------------------------------------------

def test_tag_feed_lists_only_talks_under_that_tag(db, client, make_talk):
    make_talk("Tagged", tags=["mednumsavoirs"])
    make_talk("Other", tags=["fablab"])
    make_talk("Tagged draft", tags=["mednumsavoirs"], status=Status.DRAFT)
    db.session.commit()
    feed = parse_feed(client.get("/tags/mednumsavoirs/feed.atom"))
    assert titles(feed) == ["Tagged"]
    assert link(feed, "alternate").get("href") == "http://127.0.0.1:8000/tags/mednumsavoirs"


@pytest.mark.parametrize("spelling", ["MedNumSavoirs", "%23mednumsavoirs", "%23MEDNUMSAVOIRS"])
def test_other_tag_spellings_move_permanently_to_the_normalised_feed(
        db, client, make_talk, spelling):
    make_talk(tags=["mednumsavoirs"])
    db.session.commit()
    response = client.get(f"/tags/{spelling}/feed.atom")
    assert response.status_code == 301
    assert response.headers["Location"] == "/tags/mednumsavoirs/feed.atom"


@pytest.mark.parametrize("path", [
    "/tags/unknown/feed.atom", "/tags/%23/feed.atom", "/tags/%20%20/feed.atom",
    "/tags/secret/feed.atom", "/tags/%00/feed.atom", "/tags/%FF/feed.atom", "/tags/../feed.atom",
])
def test_unknown_empty_or_draft_only_tags_have_no_feed(db, client, make_talk, path):
    make_talk(tags=["secret"], status=Status.DRAFT)
    db.session.commit()
    assert client.get(path).status_code == 404


def test_event_feed_lists_public_talks_of_that_event(db, client, make_talk, make_event):
    event = make_event("Journée")
    make_talk("Given there", event=event)
    make_talk("Draft there", event=event, status=Status.DRAFT)
    make_talk("Elsewhere")
    db.session.commit()
    feed = parse_feed(client.get(f"/events/{event.slug}/feed.atom"))
    assert titles(feed) == ["Given there"]
    assert "Journée" in feed.findtext(f"{ATOM}title")


def test_feeds_of_draft_or_unknown_events_and_speakers_are_404(
        db, client, make_talk, make_event, make_speaker):
    draft_event = make_event(status=Status.DRAFT)
    hidden = make_speaker()
    make_talk(event=draft_event, speakers=[hidden])
    db.session.commit()
    for path in [f"/events/{draft_event.slug}/feed.atom", f"/speakers/{hidden.slug}/feed.atom",
                 "/events/nope/feed.atom", "/speakers/nope/feed.atom",
                 f"/events/{draft_event.slug}/calendar.ics", "/events/%00/feed.atom",
                 "/speakers/a%00b/feed.atom", "/events/%00/calendar.ics",
                 f"/events/{'x' * 5000}/feed.atom"]:
        assert client.get(path).status_code == 404, path


def test_speaker_feed_lists_their_public_talks(db, client, make_talk, make_speaker):
    anne, zoe = make_speaker("Anne Martin"), make_speaker("Zoé Dupont")
    published_on(make_talk("Together", speakers=[zoe, anne]), 2)
    published_on(make_talk("Alone", speakers=[anne]), 1)
    make_talk("Not hers", speakers=[zoe])
    make_talk("Her draft", speakers=[anne], status=Status.DRAFT)
    db.session.commit()
    feed = parse_feed(client.get(f"/speakers/{anne.slug}/feed.atom"))
    assert titles(feed) == ["Together", "Alone"]
    assert "Anne Martin" in feed.findtext(f"{ATOM}title")


@pytest.mark.parametrize("kind, path", [
    ("event", "/events/{slug}/feed.atom"), ("event", "/events/{slug}/calendar.ics"),
    ("speaker", "/speakers/{slug}/feed.atom"),
])
def test_old_slugs_move_permanently_to_the_current_feed(
        db, client, make_talk, make_event, make_speaker, kind, path):
    event, speaker = make_event("Old name"), make_speaker("Old name")
    make_talk(event=event, speakers=[speaker], given_on=date(2016, 10, 5))
    row = event if kind == "event" else speaker
    old_slug = row.slug
    change_slug(row, "New name")
    db.session.commit()
    response = client.get(path.format(slug=old_slug))
    assert response.status_code == 301
    assert response.headers["Location"] == path.format(slug=row.slug)
    assert client.get(response.headers["Location"]).status_code == 200


# Conditional GET --------------------------------------------------------------------------

def test_unchanged_feed_answers_304_to_etag_and_date(db, client, make_talk):
    make_talk()
    db.session.commit()
    first = client.get("/feeds/talks.atom")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/feeds/talks.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    dated = client.get("/feeds/talks.atom",
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert dated.status_code == 304


def test_changed_feed_answers_200_with_a_new_etag(db, client, make_talk):
    talk = make_talk("Before")
    db.session.commit()
    etag = client.get("/feeds/talks.atom").headers["ETag"]
    talk.title = "After"
    talk.updated_at = talk.updated_at + timedelta(seconds=5)
    db.session.commit()
    response = client.get("/feeds/talks.atom", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag
    assert titles(parse_feed(response)) == ["After"]


# Event calendars --------------------------------------------------------------------------

def calendar_of(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.data)


def vevents_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


@pytest.fixture
def study_day(db, make_event, make_talk, make_speaker):
    """A two-day event with a timed talk, an all-day talk, an undated talk and a draft."""
    event = make_event("Journée d'étude; MedNum, 2016", start_date=date(2016, 10, 5),
                       end_date=date(2016, 10, 6), place="BnF, Paris",
                       description="<p>Deux jours <strong>d'échanges</strong></p>",
                       tags=["mednumsavoirs"])
    timed = make_talk("Ouverture", event=event, speakers=[make_speaker("Anne Martin")],
                      starts_at=datetime(2016, 10, 5, 7, 30, tzinfo=timezone.utc),
                      duration_minutes=45, summary="<p>Le <em>mot</em> d'accueil</p>")
    all_day = make_talk("Atelier", event=event, given_on=date(2016, 10, 6))
    make_talk("Undated", event=event)
    make_talk("Draft", event=event, given_on=date(2016, 10, 6), status=Status.DRAFT)
    db.session.commit()
    return event, timed, all_day


def test_calendar_has_the_event_as_all_day_dates(client, study_day):
    event, _, _ = study_day
    calendar = calendar_of(client.get(f"/events/{event.slug}/calendar.ics"))
    vevent = vevents_by_uid(calendar)[f"event-{event.id}@127.0.0.1"]
    assert vevent.decoded("DTSTART") == date(2016, 10, 5)
    assert vevent.decoded("DTEND") == date(2016, 10, 7)  # exclusive end: after the last day
    assert str(vevent["SUMMARY"]) == "Journée d'étude; MedNum, 2016"
    assert str(vevent["LOCATION"]) == "BnF, Paris"
    assert str(vevent["DESCRIPTION"]) == "Deux jours d'échanges"
    assert str(vevent["URL"]) == f"http://127.0.0.1:8000/events/{event.slug}"
    assert "DTSTAMP" in vevent


def test_calendar_has_one_vevent_per_dated_public_talk(client, study_day):
    event, timed, all_day = study_day
    calendar = calendar_of(client.get(f"/events/{event.slug}/calendar.ics"))
    by_uid = vevents_by_uid(calendar)
    assert set(by_uid) == {f"event-{event.id}@127.0.0.1", f"talk-{timed.id}@127.0.0.1",
                           f"talk-{all_day.id}@127.0.0.1"}
    opening = by_uid[f"talk-{timed.id}@127.0.0.1"]
    assert opening.decoded("DTSTART") == datetime(2016, 10, 5, 7, 30, tzinfo=timezone.utc)
    assert opening.decoded("DTEND") == datetime(2016, 10, 5, 8, 15, tzinfo=timezone.utc)
    assert str(opening["DESCRIPTION"]) == "Intervenants\u202f: Anne Martin\n\nLe mot d'accueil"
    assert str(opening["URL"]) == f"http://127.0.0.1:8000/talks/{timed.slug}"
    workshop = by_uid[f"talk-{all_day.id}@127.0.0.1"]
    assert (workshop.decoded("DTSTART"), workshop.decoded("DTEND")) == (
        date(2016, 10, 6), date(2016, 10, 7))


def test_calendar_uids_and_body_are_stable_and_conditional(client, study_day):
    event, _, _ = study_day
    first = client.get(f"/events/{event.slug}/calendar.ics")
    second = client.get(f"/events/{event.slug}/calendar.ics")
    assert first.data == second.data
    assert 'filename="' in first.headers["Content-Disposition"]
    cached = client.get(f"/events/{event.slug}/calendar.ics",
                        headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304


def test_event_without_any_date_has_no_calendar(db, client, make_event, make_talk):
    event = make_event(start_date=None, end_date=None)
    make_talk(event=event)
    db.session.commit()
    assert client.get(f"/events/{event.slug}/calendar.ics").status_code == 404


def test_undated_event_with_a_dated_talk_has_a_calendar(db, client, make_event, make_talk):
    event = make_event(start_date=None, end_date=None)
    talk = make_talk(event=event, given_on=date(2017, 3, 2))
    db.session.commit()
    calendar = calendar_of(client.get(f"/events/{event.slug}/calendar.ics"))
    assert list(vevents_by_uid(calendar)) == [f"talk-{talk.id}@127.0.0.1"]


# Query count ------------------------------------------------------------------------------

@pytest.fixture
def count_queries(db):
    from sqlalchemy import event

    def count(path: str, client) -> int:
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    return count


def test_feed_queries_do_not_grow_with_its_entries(
        db, client, make_talk, make_speaker, make_event, count_queries):
    def add_talk(n):
        make_talk(event=make_event(), speakers=[make_speaker(), make_speaker()], tags=[f"t{n}"])
        db.session.commit()

    add_talk(1)
    one_entry = count_queries("/feeds/talks.atom", client)
    for n in range(2, FEED_SIZE + 1):
        add_talk(n)
    assert count_queries("/feeds/talks.atom", client) == one_entry


# Any address -----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300))
def test_any_tag_or_slug_answers_a_redirect_or_404_never_an_error(client, text):
    quoted = quote(text, safe="")
    for path in [f"/tags/{quoted}/feed.atom", f"/events/{quoted}/feed.atom",
                 f"/speakers/{quoted}/feed.atom", f"/events/{quoted}/calendar.ics"]:
        assert client.get(path).status_code in (301, 308, 404), path
