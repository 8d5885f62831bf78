"""Import a frab/pretalx schedule: the conference becomes an event, each <event> a talk.

Built on the pyvideo importer (operations.py): the same lookups, speaker matching (a person is the
speaker whose confirmed name or alias has the same key), tags, slugs, and field-by-field updates,
so a second import of the same schedule writes nothing. The event is found again by the
conference's acronym ("frab:<acronym>"), a talk by its guid within the event. A new event is a
draft, for organisers to check before publishing; its talks are published with it. Slide decks
among the attachments are fetched (frab_fetch.py) and attached as a single upload would be
(webapp.slides.operations.attach_slides); a deck already fetched from that address is not fetched
again. Flushes, never commits: the command or the view does.
"""
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from webapp.core.audit import record_audit
from webapp.core.rich_text import rich_text_values
from webapp.extensions import db
from webapp.importing.frab_fetch import FetchLimits, FetchRefused, fetch
from webapp.importing.frab_reading import Conference, Schedule, ScheduleTalk, read_schedule
from webapp.importing.operations import ImportReport, PyvideoImporter, SkippedRecord
from webapp.importing.pyvideo_records import SCHEMA_DIR
from webapp.models import Event, SlideDeck, Status, Talk, User
from webapp.slides.operations import SlideUploadError, attach_slides


@dataclass
class ScheduleReport(ImportReport):
    event: Event | None = None
    slides_attached: int = 0
    slide_problems: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return super().changed_anything or bool(self.slides_attached)


class ScheduleImporter(PyvideoImporter):
    """PyvideoImporter's lookups and talk updates, fed from a schedule instead of a pyvideo tree."""

    def __init__(self, fetch_slides: Callable[[str], bytes] | None = None):
        super().__init__(SCHEMA_DIR, lambda n: None)
        self.report = ScheduleReport()
        self.fetch_slides = fetch_slides

    def sync_conference(self, conference: Conference) -> Event:
        values = dict(title=conference.title, start_date=conference.start_date, end_date=conference.end_date)
        if conference.website_url:
            values["website_url"] = conference.website_url
        return self.sync_event_row(conference.import_key, values, Status.DRAFT, conference.title)

    def talk_values(self, talk: Talk | None, record: ScheduleTalk, position: int) -> dict:
        summary, source = rich_text_values(record.summary_source, talk.summary if talk else None,
                                           talk.summary_source if talk else None)
        return dict(
            title=record.title, summary=summary, summary_source=source, language=record.language,
            given_on=record.given_on, starts_at=record.starts_at, duration_minutes=record.duration_minutes,
            room=record.room, links=record.links, licence=record.licence, position=position,
            published_at=record.starts_at, **({"video_url": record.video_url} if record.video_url else {}))

    def import_schedule(self, schedule: Schedule) -> Event:
        for bad in schedule.bad_events:
            self.report.skipped.append(SkippedRecord(bad.where, bad.reason))
        event = self.sync_conference(schedule.conference)
        unique = list({talk.import_key: talk for talk in schedule.talks}.values())
        self.add_missing_speakers(unique)
        self.add_missing_tags(unique)
        db.session.flush()
        self.sync_programme(event, unique)
        db.session.flush()
        self.attach_missing_slides(event, unique)
        self.report.event = event
        return event

    def attach_missing_slides(self, event: Event, talks: list[ScheduleTalk]) -> None:
        if self.fetch_slides is None:
            return
        rows = self.existing_talks(event)
        fetched = set(db.session.scalars(select(SlideDeck.source_url).join(Talk).where(Talk.event_id == event.id)))
        for record in talks:
            for url in record.slide_urls:
                if url not in fetched:
                    self.attach_slide_deck(rows[record.import_key], url)
                    fetched.add(url)

    def attach_slide_deck(self, talk: Talk, url: str) -> None:
        try:
            body = self.fetch_slides(url)
            deck = attach_slides(talk, io.BytesIO(body), url.rsplit("/", 1)[-1].split("?")[0])
        except (FetchRefused, SlideUploadError) as error:
            self.report.slide_problems.append(f"{talk.import_key} ({url}): {error}")
            return
        deck.source_url = url[:1000]
        self.report.slides_attached += 1


def fetch_slide_deck(url: str) -> bytes:
    """A deck from an attachment's address, as large as an upload may be."""
    return fetch(url, FetchLimits.from_config(current_app.config["SLIDES_MAX_BYTES"])).body


def import_schedule(data: bytes, user: User | None = None, fetch_slides: bool = True) -> ScheduleReport:
    """Import the schedule in data (XML or JSON); ScheduleError (frab_reading) when the file is
    refused as a whole. Records the import in the audit log when it changed anything."""
    schedule = read_schedule(data)
    importer = ScheduleImporter(fetch_slide_deck if fetch_slides else None)
    event = importer.import_schedule(schedule)
    report = importer.report
    if report.changed_anything:
        record_audit(user, "import", event, {"talks": [None, report.talks_total]})
    return report
