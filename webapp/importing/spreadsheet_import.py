"""Import a spreadsheet's rows as talks: the dry run and the real run are the same code.

Each row becomes a TalkRecord (spreadsheet_fields.py) and goes through the pyvideo importer's
lookups (PyvideoImporter: speakers by confirmed name or alias key, tags by normalised name, free
slugs), so a speaker typed in a sheet is the one the pyvideo import would find. A talk is keyed
by its event and a row key (the sheet's "id" column, else the normalised title): importing the
same sheet again changes nothing. Only the mapped fields are written: a column the organiser did
not map leaves what a talk holds alone. Flushes, never commits: the dry run rolls back, the
confirmed run commits once at the edge, or rolls everything back when any row fails.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.core.naming import normalize_tag, person_name_key
from webapp.extensions import db
from webapp.importing.operations import (
    PyvideoImporter,
    assign_changed,
    sync_speaker_links,
    sync_tags,
)
from webapp.importing.pyvideo_records import SCHEMA_DIR, TalkRecord
from webapp.importing.spreadsheet_fields import KEY_PREFIX, RowError, event_title_of, row_record
from webapp.importing.spreadsheet_reading import Sheet
from webapp.models import Event, Status, Talk
from webapp.models._base import utcnow

CREATE, UPDATE, UNCHANGED, REFUSE = "create", "update", "unchanged", "refuse"
# Talk columns each mapped field writes.
COLUMNS_OF_FIELD = {"title": ("title",), "summary": ("summary",), "language": ("language",),
                    "date": ("given_on", "published_at"), "time": ("starts_at", "published_at"),
                    "duration": ("duration_minutes",), "video": ("video_url",), "licence": ("licence",)}


@dataclass(frozen=True)
class RowOutcome:
    row_number: int
    action: str  # create, update, unchanged or refuse
    title: str
    event_title: str
    reason: str = ""


@dataclass
class SpreadsheetReport:
    outcomes: list[RowOutcome] = field(default_factory=list)
    events_created: list[str] = field(default_factory=list)
    speakers_created: int = 0

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def refused(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.action == REFUSE]

    @property
    def accepted_rows(self) -> list[int]:
        return [outcome.row_number for outcome in self.outcomes if outcome.action != REFUSE]


@dataclass(frozen=True)
class SheetRow:
    number: int
    event_title: str
    record: TalkRecord


def import_spreadsheet(sheet: Sheet, mapping: dict[str, int], event: Event | None,
                       on_progress: Callable[[int], None] | None = None) -> SpreadsheetReport:
    """Import the rows into `event`, or into the events the "event" column names."""
    report = SpreadsheetReport()
    rows = read_rows(sheet, mapping, event, report)
    importer = SpreadsheetImporter(set(mapping))
    events = events_by_title(importer, rows, event, report)
    importer.add_missing_speakers([row.record for row in rows])
    importer.add_missing_tags([row.record for row in rows])
    db.session.flush()
    for index, row in enumerate(rows, start=1):
        action = importer.sync_row(events[person_name_key(row.event_title)], row.record)
        report.outcomes.append(RowOutcome(row.number, action, row.record.title, row.event_title))
        if on_progress and index % 50 == 0:
            on_progress(index)
    db.session.flush()
    report.speakers_created = importer.report.speakers_created
    report.outcomes.sort(key=lambda outcome: outcome.row_number)
    return report


def read_rows(sheet: Sheet, mapping: dict[str, int], event: Event | None,
              report: SpreadsheetReport) -> list[SheetRow]:
    """The rows that make a talk; the others are refused in the report with their reason."""
    rows, seen = [], {}
    for number, cells in sheet.rows:
        try:
            row = SheetRow(number, event.title if event else event_title_of(cells, mapping),
                           row_record(cells, mapping))
            if not row.event_title:
                raise RowError(_("The event is empty."))
        except RowError as error:
            report.outcomes.append(RowOutcome(number, REFUSE, "", "", str(error)))
            continue
        key = (person_name_key(row.event_title), row.record.import_key)
        if key in seen:
            reason = _("Same talk as row %(number)d (same event, same key or title).",
                       number=seen[key])
            report.outcomes.append(RowOutcome(number, REFUSE, row.record.title, row.event_title, reason))
            continue
        seen[key] = number
        rows.append(row)
    return rows


def events_by_title(importer: "SpreadsheetImporter", rows: list[SheetRow], event: Event | None,
                    report: SpreadsheetReport) -> dict[str, Event]:
    """Title key -> event: the chosen one, or each named event found again or created."""
    if event is not None:
        return {person_name_key(event.title): event}
    found = {}
    for row in rows:
        key = person_name_key(row.event_title)
        if key not in found:
            found[key] = find_event(key) or importer.create_event(row.event_title, rows, report)
    return found


def find_event(title_key: str) -> Event | None:
    """The event a sheet created before (its import key), else one whose title matches."""
    by_key = db.session.scalar(select(Event).where(Event.import_key == KEY_PREFIX + title_key))
    if by_key is not None:
        return by_key
    candidates = db.session.scalars(select(Event).order_by(Event.id))
    return next((e for e in candidates if person_name_key(e.title) == title_key), None)


class SpreadsheetImporter(PyvideoImporter):
    """The pyvideo importer's lookups, writing only the fields the organiser mapped."""

    def __init__(self, mapped_fields: set[str]):
        super().__init__(SCHEMA_DIR, lambda n: None)
        self.mapped_fields = mapped_fields
        self.next_positions: dict[int, int] = {}
        self.talks_of_event: dict[int, dict[str, Talk]] = {}

    def create_event(self, title: str, rows: list[SheetRow], report: SpreadsheetReport) -> Event:
        key = person_name_key(title)
        days = sorted(r.record.given_on for r in rows
                      if r.record.given_on and person_name_key(r.event_title) == key)
        event = Event(import_key=KEY_PREFIX + key, status=Status.PUBLISHED, title=title,
                      slug=self.slugs["event"].claim(title),
                      start_date=days[0] if days else None, end_date=days[-1] if days else None)
        db.session.add(event)
        db.session.flush()
        report.events_created.append(title)
        return event

    def mapped_values(self, talk: Talk | None, record: TalkRecord) -> dict:
        values = self.talk_values(talk, record, position=0)
        columns = {c for name in self.mapped_fields for c in COLUMNS_OF_FIELD.get(name, ())}
        kept = {name: values[name] for name in values if name in columns or name == "title"}
        if "summary" in self.mapped_fields:
            kept.update({name: value for name, value in values.items() if name.startswith("summary")})
        return kept

    def event_talks(self, event: Event) -> dict[str, Talk]:
        if event.id not in self.talks_of_event:
            self.talks_of_event[event.id] = self.existing_talks(event)
            last = db.session.scalar(select(func.max(Talk.position)).where(Talk.event_id == event.id))
            self.next_positions[event.id] = (last or 0) + 1
        return self.talks_of_event[event.id]

    def sync_row(self, event: Event, record: TalkRecord) -> str:
        talk = self.event_talks(event).get(record.import_key)
        tags = [self.tags[name] for name in dict.fromkeys(map(normalize_tag, record.tag_names)) if name]
        speakers = [self.speakers[person_name_key(name)] for name in record.speaker_names]
        values = self.mapped_values(talk, record)
        if talk is None:
            position = self.next_positions[event.id]
            self.next_positions[event.id] += 1
            self.create_talk(event, record, {**values, "position": position}, tags, speakers)
            return CREATE
        changed = assign_changed(talk, values)
        linked = (sync_tags(talk, tags) if "tags" in self.mapped_fields else False) | (
            sync_speaker_links(talk, speakers) if "speakers" in self.mapped_fields else False)
        if linked and not changed:
            talk.updated_at = utcnow()
        return UPDATE if changed or linked else UNCHANGED
