"""Import a pyvideo.org data tree: one event per folder, one talk per video record.

Idempotent: events and talks are found again by their import keys, speakers by their normalised
name, and a field is only assigned when its value differs, so a second run writes nothing.
Descriptions are HTML made from the records' plain text, without Markdown source (a description
the import changes loses the one an organiser wrote; webapp/core/rich_text.py): forms show them as
Markdown that gives the same page, or as HTML.
Fast: lookups (events, speakers, aliases, tags, slugs, each event's talks) are loaded once into
dicts, rows are added in bulk and flushed per event. Never commits: the caller does.
Talks whose file has disappeared from the tree are left as they are.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.catalogue.operations.tags import get_or_create_tags
from webapp.core.naming import make_slug, normalize_tag, person_name_key, person_sort_key
from webapp.core.rich_text import imported_html
from webapp.core.slugs import MODELS_BY_KIND
from webapp.extensions import db
from webapp.importing.pyvideo_reading import EventSource, open_reader, schemas_in
from webapp.importing.pyvideo_records import (
    SCHEMA_DIR,
    EventRecord,
    RecordError,
    TalkRecord,
    parse_category,
)
from webapp.models import Event, SlugRedirect, Speaker, SpeakerAlias, Status, Tag, Talk, TalkSpeaker
from webapp.models._base import utcnow

FLUSH_EVERY = 1000  # talks per flush inside a large event


@dataclass(frozen=True)
class SkippedRecord:
    path: Path
    reason: str


@dataclass
class ImportReport:
    events_created: int = 0
    events_updated: int = 0
    events_unchanged: int = 0
    talks_created: int = 0
    talks_updated: int = 0
    talks_unchanged: int = 0
    speakers_created: int = 0
    skipped: list[SkippedRecord] = field(default_factory=list)

    @property
    def events_total(self) -> int:
        return self.events_created + self.events_updated + self.events_unchanged

    @property
    def talks_total(self) -> int:
        return self.talks_created + self.talks_updated + self.talks_unchanged

    @property
    def changed_anything(self) -> bool:
        return bool(self.events_created + self.events_updated + self.talks_created
                    + self.talks_updated + self.speakers_created)


def assign_changed(obj, values: dict) -> bool:
    """Set the attributes whose value differs; True when any did (so updated_at moves only then)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def import_pyvideo(sources: Iterable[EventSource], on_progress: Callable[[int], None] = None,
                   workers: int | None = None, schema_dir: Path = SCHEMA_DIR) -> ImportReport:
    """Import the scanned tree; on_progress(n) is called as n more records have been read.

    workers: processes reading the records (None: one per CPU for a large tree; 0: none).
    """
    sources = list(sources)
    importer = PyvideoImporter(schema_dir, on_progress or (lambda n: None))
    reader = open_reader(sources, schema_dir, workers)
    try:
        for source in sources:
            importer.import_event(source, reader)
    finally:
        reader.close()
    db.session.flush()
    return importer.report


class SlugPool:
    """Free slugs of one kind, as slugs.unique_slug gives them (same base, same -2, -3 suffixes),
    but checked against a set loaded once instead of one SELECT per new row."""

    def __init__(self, kind: str):
        model = MODELS_BY_KIND[kind]
        self.taken = set(db.session.scalars(select(model.slug)))
        self.taken.update(db.session.scalars(
            select(SlugRedirect.old_slug).where(SlugRedirect.kind == kind)))

    def claim(self, text: str) -> str:
        return self.claim_base(make_slug(text))

    def claim_base(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def load_speakers_by_key() -> dict[str, Speaker]:
    """Every speaker under its confirmed name key and confirmed alias keys (a name wins over an
    alias): a name or spelling a speaker typed in their profile is not matched until an
    organiser confirms it (webapp/catalogue/operations/speakers.py)."""
    every = list(db.session.scalars(select(Speaker)))
    speakers = {s.name_key: s for s in every if s.is_name_confirmed}
    aliases = db.session.execute(select(SpeakerAlias.name_key, SpeakerAlias.speaker_id)
                                 .where(SpeakerAlias.is_confirmed))
    by_id = {s.id: s for s in every}
    for key, speaker_id in aliases:
        speakers.setdefault(key, by_id[speaker_id])
    return speakers


def published_moment(record: TalkRecord) -> datetime | None:
    if record.starts_at:
        return record.starts_at
    if record.given_on:
        return datetime.combine(record.given_on, time(0), tzinfo=timezone.utc)
    return None


class PyvideoImporter:
    """Holds the lookups of one import run; see the module docstring."""

    def __init__(self, schema_dir: Path, on_progress: Callable[[int], None]):
        self.schemas, self.on_progress = schemas_in(schema_dir), on_progress
        self.report = ImportReport()
        self.events = {e.import_key: e for e in db.session.scalars(
            select(Event).where(Event.import_key.is_not(None)))}
        self.speakers = load_speakers_by_key()
        self.tags = {t.name: t for t in db.session.scalars(select(Tag))}
        self.slugs = {kind: SlugPool(kind) for kind in ("event", "talk", "speaker")}

    def skip(self, path: Path, reason: str) -> None:
        self.report.skipped.append(SkippedRecord(path, reason))

    # Reading -------------------------------------------------------------------------------

    def read_talks(self, source: EventSource, reader) -> list[TalkRecord]:
        records = []
        for batch in reader.read(source):
            for parsed in batch:
                if parsed.error:
                    self.skip(parsed.path, parsed.error)
                else:
                    records.append(parsed.record)
            self.on_progress(len(batch))
        return records

    def import_event(self, source: EventSource, reader) -> None:
        try:
            event_record = parse_category(source.category_path, self.schemas)
        except RecordError as error:
            count = len(source.video_paths)
            self.skip(source.category_path, f"{error}; the event and its {count} talk files "
                                            "were skipped")
            self.on_progress(count)
            return
        talks = self.read_talks(source, reader)
        event = self.sync_event(event_record, talks)
        self.add_missing_speakers(talks)
        self.add_missing_tags(talks)
        db.session.flush()
        self.sync_programme(event, talks)
        db.session.flush()

    # Events, speakers, tags ----------------------------------------------------------------

    def sync_event(self, record: EventRecord, talks: list[TalkRecord]) -> Event:
        days = sorted(t.given_on for t in talks if t.given_on)
        start = record.start_date or (days[0] if days else None)
        end = record.end_date or (days[-1] if days else start)
        event = self.events.get(record.import_key)
        values = dict(title=record.title, **imported_html(event, description=record.description),
                      website_url=record.website_url, start_date=start,
                      end_date=max(end, start) if start and end else end)
        return self.sync_event_row(record.import_key, values, Status.PUBLISHED, record.import_key)

    def sync_event_row(self, import_key: str, values: dict, status: Status, slug_source: str) -> Event:
        """The event imported under import_key, created (with that status, its slug claimed from
        slug_source) or updated with values; counted in the report."""
        event = self.events.get(import_key)
        if event is None:
            event = Event(import_key=import_key, status=status, slug=self.slugs["event"].claim(slug_source),
                          **values)
            db.session.add(event)
            self.events[import_key] = event
            self.report.events_created += 1
        elif assign_changed(event, values):
            self.report.events_updated += 1
        else:
            self.report.events_unchanged += 1
        return event

    def add_missing_speakers(self, talks: list[TalkRecord]) -> None:
        for name in (name for talk in talks for name in talk.speaker_names):
            key = person_name_key(name)
            if key in self.speakers:
                continue
            speaker = Speaker(name=name, name_key=key, sort_key=person_sort_key(name),
                              slug=self.slugs["speaker"].claim(name), links=[])
            db.session.add(speaker)
            self.speakers[key] = speaker
            self.report.speakers_created += 1

    def add_missing_tags(self, talks: list[TalkRecord]) -> None:
        names = {normalize_tag(raw) for talk in talks for raw in talk.tag_names}
        missing = names - self.tags.keys() - {""}
        if missing:
            self.tags.update((tag.name, tag) for tag in get_or_create_tags(sorted(missing)))

    # Talks ---------------------------------------------------------------------------------

    def existing_talks(self, event: Event) -> dict[str, Talk]:
        query = (select(Talk).where(Talk.event_id == event.id, Talk.import_key.is_not(None))
                 .options(selectinload(Talk.tags), selectinload(Talk.speaker_links)))
        return {talk.import_key: talk for talk in db.session.scalars(query)}

    def sync_programme(self, event: Event, talks: list[TalkRecord]) -> None:
        existing = self.existing_talks(event)
        ordered = sorted(talks, key=lambda record: record.programme_order)
        for position, record in enumerate(ordered, start=1):
            self.sync_talk(event, existing.get(record.import_key), record, position)
            if position % FLUSH_EVERY == 0:
                db.session.flush()

    def talk_values(self, talk: Talk | None, record: TalkRecord, position: int) -> dict:
        values = dict(
            title=record.title, **imported_html(talk, summary=record.summary), language=record.language,
            given_on=record.given_on, starts_at=record.starts_at,
            duration_minutes=record.duration_minutes, video_url=record.video_url,
            licence=record.licence, position=position, published_at=published_moment(record))
        if values["published_at"] is None:  # no recorded date: keep the first import's moment
            del values["published_at"]
        return values

    def sync_talk(self, event: Event, talk: Talk | None, record: TalkRecord, position: int):
        values = self.talk_values(talk, record, position)
        tags = [self.tags[name] for name in dict.fromkeys(
            normalize_tag(raw) for raw in record.tag_names) if name]
        speakers = [self.speakers[person_name_key(name)] for name in record.speaker_names]
        if talk is None:
            self.create_talk(event, record, values, tags, speakers)
            return
        columns_changed = assign_changed(talk, values)
        links_changed = sync_tags(talk, tags) | sync_speaker_links(talk, speakers)
        if links_changed and not columns_changed:
            talk.updated_at = utcnow()  # the row changes too, so change hooks see the talk
        if columns_changed or links_changed:
            self.report.talks_updated += 1
        else:
            self.report.talks_unchanged += 1

    def create_talk(self, event, record, values, tags, speakers) -> None:
        values.setdefault("published_at", utcnow())
        talk = Talk(event_id=event.id, import_key=record.import_key, status=Status.PUBLISHED,
                    slug=self.slugs["talk"].claim_base(record.slug_base), tags=tags, **values)
        talk.speaker_links = [TalkSpeaker(speaker_id=speaker.id, position=index)
                              for index, speaker in enumerate(speakers)]
        db.session.add(talk)
        self.report.talks_created += 1


def sync_tags(tagged, tags: list[Tag]) -> bool:
    """Give a talk or an event exactly these tags; True when they were different."""
    if {tag.id for tag in tagged.tags} == {tag.id for tag in tags}:
        return False
    tagged.tags = tags
    return True


def sync_speaker_links(talk: Talk, speakers: list[Speaker]) -> bool:
    """Make the talk's speakers these, in this order, reusing the link rows already there."""
    current = sorted((link.position, link.speaker_id) for link in talk.speaker_links)
    if current == [(index, speaker.id) for index, speaker in enumerate(speakers)]:
        return False
    by_speaker = {link.speaker_id: link for link in talk.speaker_links}
    links = []
    for index, speaker in enumerate(speakers):
        link = by_speaker.get(speaker.id) or TalkSpeaker(speaker_id=speaker.id)
        link.position = index
        links.append(link)
    talk.speaker_links = links
    return True
