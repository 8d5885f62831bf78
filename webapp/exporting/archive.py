"""`flask export archive DIR`: every event, talk, speaker, tag, series, deck and photo, streamed.

The layout is described in webapp/core/archive_format.py. Rows are read a batch at a time
(yield_per) and written one file or one line at a time; only the checksums stay in memory.
With public_only, only what webapp/core/visibility.py calls public is written.
"""
from pathlib import Path

from flask import current_app
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from webapp.core.archive_format import (
    EXTRA_DIR,
    NAMESPACE,
    encode_line,
    encode_record,
    row_values,
)
from webapp.core.storage import get_file_store
from webapp.core.visibility import public_events, public_speakers, public_tags, public_talk_condition
from webapp.exporting.archive_files import ArchiveFiles
from webapp.exporting.pyvideo_fields import category_fields, video_fields
from webapp.extensions import db
from webapp.importing.queries import event_schedule_xml
from webapp.models import Event, Series, SlideDeck, SlugRedirect, Speaker, Tag, Talk, TalkSpeaker, Transcript

BATCH_SIZE = 500
PRIVATE_COLUMNS = frozenset({"uploaded_by_id", "lease_expires_at"})  # accounts are not exported


class ArchiveExport:
    def __init__(self, root: Path, public_only: bool):
        self.files = ArchiveFiles(root)
        self.public_only = public_only
        self.upload_dir = Path(current_app.config["UPLOAD_DIR"])
        self.store = get_file_store()
        self.tag_names: set[str] = set()  # those written: an event's other tags are not public

    def run(self) -> dict:
        self.write_lines("tags", self.tags(), self.tag_record)
        self.write_lines("series", self.series(), lambda series: row_values(series))
        self.write_lines("speakers", self.speakers(), self.speaker_record)
        self.write_lines("redirects", self.redirects(), lambda redirect: row_values(redirect))
        for event in self.rows(self.events()):
            self.write_event(event)
        self.files.write_manifest(self.public_only)
        return dict(self.files.counts)

    def rows(self, query: Select):
        return db.session.scalars(query.execution_options(yield_per=BATCH_SIZE))

    def write_lines(self, kind: str, query: Select, record) -> None:
        with self.files.lines(f"{EXTRA_DIR}/{kind}.jsonl") as append:
            for row in self.rows(query):
                append(encode_line(record(row)))
                self.files.counts[kind] += 1

    # --- what is exported ---------------------------------------------------------------------

    def tags(self) -> Select:
        return (public_tags() if self.public_only else select(Tag)).order_by(Tag.id)

    def series(self) -> Select:
        query = select(Series).order_by(Series.id)
        if self.public_only:
            query = query.where(exists().where(Talk.series_id == Series.id, public_talk_condition()))
        return query

    def speakers(self) -> Select:
        query = public_speakers() if self.public_only else select(Speaker)
        return query.options(selectinload(Speaker.aliases)).order_by(Speaker.id)

    def events(self) -> Select:
        query = public_events() if self.public_only else select(Event)
        return query.options(selectinload(Event.tags)).order_by(Event.id)

    def talks_of(self, event: Event) -> Select:
        query = select(Talk).where(Talk.event_id == event.id).order_by(Talk.position, Talk.id)
        if self.public_only:
            query = query.where(public_talk_condition())
        return query.options(selectinload(Talk.tags), selectinload(Talk.series),
                             selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker))

    def redirects(self) -> Select:
        query = select(SlugRedirect).order_by(SlugRedirect.id)
        if not self.public_only:
            return query
        targets = {"event": (Event, public_events()), "speaker": (Speaker, public_speakers()),
                   "tag": (Tag, public_tags()), "talk": (Talk, select(Talk).where(public_talk_condition()))}
        kept = [(SlugRedirect.kind == kind) & SlugRedirect.target_id.in_(visible.with_only_columns(model.id))
                for kind, (model, visible) in targets.items()]
        return query.where(db.or_(*kept))

    def decks_of(self, talk: Talk) -> list[SlideDeck]:
        query = (select(SlideDeck).where(SlideDeck.talk_id == talk.id).order_by(SlideDeck.version)
                 .options(selectinload(SlideDeck.pages)))
        if self.public_only:
            query = query.where(SlideDeck.is_current)
        return list(db.session.scalars(query))

    def transcripts_of(self, talk: Talk) -> list[Transcript]:
        return list(db.session.scalars(select(Transcript).where(Transcript.talk_id == talk.id)
                                       .order_by(Transcript.language)))

    # --- records ------------------------------------------------------------------------------

    def tag_record(self, tag: Tag) -> dict:
        self.tag_names.add(tag.name)
        return row_values(tag)

    def speaker_record(self, speaker: Speaker) -> dict:
        aliases = speaker.confirmed_aliases if self.public_only else speaker.aliases
        if speaker.photo_key:
            self.copy_photo(speaker.photo_key)
        return {**row_values(speaker), "aliases": [row_values(alias) for alias in aliases]}

    def copy_photo(self, key: str) -> None:
        for square in sorted((self.upload_dir / "photos" / key[:2]).glob(f"{key}-*.jpg")):
            self.files.copy_stored(self.upload_dir, square)

    def write_event(self, event: Event) -> None:
        folder = event.slug
        extra = {"event": row_values(event), "tags": [tag.name for tag in event.tags if tag.name in self.tag_names]}
        self.files.write(f"{folder}/category.json", encode_record({**category_fields(event), NAMESPACE: extra}))
        self.files.counts["events"] += 1
        for talk in self.rows(self.talks_of(event)):
            self.write_talk(folder, talk)
        self.files.write(f"{folder}/schedule.xml", event_schedule_xml(event, public_only=self.public_only))
        db.session.expunge_all()  # the next event's rows only: memory stays flat

    def write_talk(self, folder: str, talk: Talk) -> None:
        extra = {"talk": row_values(talk, PRIVATE_COLUMNS),
                 "speakers": [link.speaker_id for link in talk.speaker_links],
                 "tags": [tag.name for tag in talk.tags],
                 "decks": [self.deck_record(deck) for deck in self.decks_of(talk)],
                 "transcripts": [self.transcript_record(transcript) for transcript in self.transcripts_of(talk)]}
        record = {**video_fields(talk), NAMESPACE: extra}
        self.files.write(f"{folder}/videos/{talk.slug}.json", encode_record(record))
        self.files.counts["talks"] += 1

    def transcript_record(self, transcript: Transcript) -> dict:
        self.files.counts["transcripts"] += 1
        return row_values(transcript, PRIVATE_COLUMNS)

    def deck_record(self, deck: SlideDeck) -> dict:
        keys = [deck.storage_key] + [key for page in deck.pages for key in (page.thumb_key, page.image_key)]
        for key in filter(None, keys):
            if self.store.exists(key):
                self.files.copy_stored(self.upload_dir, self.store.path_for(key))
        self.files.counts["decks"] += 1
        return {"deck": row_values(deck, PRIVATE_COLUMNS),
                "pages": [row_values(page) for page in deck.pages]}


def export_archive(root: Path, public_only: bool) -> dict:
    """Writes the archive under root (an empty or new folder); returns the counts written."""
    return ArchiveExport(root, public_only).run()
