"""Bulk slide uploads: a ZIP of decks for the talks of one event, in two steps.

stage_bulk_upload checks the ZIP (bulk_archive.py), extracts its files into a staged batch
(bulk_staging.py) and runs on each the checks of a single upload (validation.detect_kind), so the
preview says at once which files will be refused. Nothing is written to the database.

add_staged_decks adds the files the organiser assigned to talks, each through attach_slides, the
single upload's entry point (which validates the file by its content again); it flushes and never
commits: the view commits once, so either every deck of the batch is added or none.
"""
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.core.i18n import format_file_size
from webapp.core.storage import TooLarge, get_file_store
from webapp.extensions import db
from webapp.models import Event, SlideDeck, Talk, User
from webapp.slides.bulk_archive import BulkArchiveError, BulkLimits, extract_entries
from webapp.slides.bulk_matching import TalkChoice
from webapp.slides.bulk_staging import StagedBatch, StagedFile, new_batch
from webapp.slides.operations import attach_slides
from webapp.slides.validation import SlideUploadError, detect_kind


@dataclass(frozen=True)
class Assignment:
    """A staged file (its number in the batch) given to a talk, under a licence."""

    number: int
    talk: Talk
    licence: str


@dataclass(frozen=True)
class AddedDeck:
    talk: Talk
    deck: SlideDeck
    filename: str


class StagedFileRefused(Exception):
    """A file of the batch refused when it was added: nothing of the batch is kept."""

    def __init__(self, filename: str, error: SlideUploadError):
        super().__init__(filename)
        self.filename, self.error = filename, error

    def __str__(self) -> str:
        return f"{self.filename}: {self.error}"


def archive_too_large() -> BulkArchiveError:
    limit = format_file_size(current_app.config["SLIDES_BULK_MAX_BYTES"])
    return BulkArchiveError(413, "too_large", _l("The archive is larger than the limit of %(limit)s.", limit=limit))


def talk_choices(event: Event) -> list[TalkChoice]:
    """The event's talks, drafts included, in programme order (rank from 1)."""
    talks = db.session.scalars(select(Talk).where(Talk.event_id == event.id).order_by(Talk.position, Talk.id))
    return [TalkChoice(talk.id, talk.slug, talk.title, rank) for rank, talk in enumerate(talks, start=1)]


def _checked(path, staged: StagedFile) -> StagedFile:
    try:
        staged.kind = detect_kind(path).value
    except SlideUploadError as error:
        staged.error = str(error)
    return staged


def stage_bulk_upload(event: Event, user: User, stream: BinaryIO, licence: str) -> StagedBatch:
    """Check and stage the ZIP read from stream; BulkArchiveError (413, 422) when it is refused,
    and then nothing is kept."""
    store = get_file_store()
    try:
        spooled = store.spool(stream, current_app.config["SLIDES_BULK_MAX_BYTES"])
    except TooLarge as error:
        raise archive_too_large() from error
    batch = new_batch(user.id, event.id, licence)
    try:
        for name, path, size in extract_entries(spooled.path, batch.folder, BulkLimits.from_config()):
            batch.files.append(_checked(path, StagedFile(name, size)))
        batch.save()
    except BaseException:
        batch.remove()
        raise
    finally:
        spooled.remove()
    return batch


def _add_one(batch: StagedBatch, assignment: Assignment, user: User) -> AddedDeck:
    staged = batch.files[assignment.number]
    path = batch.file_path(assignment.number)
    try:
        if not path.is_file() or path.stat().st_size != staged.size:
            raise SlideUploadError(410, "staging_changed", _l("The staged file is gone; upload the archive again."))
        with open(path, "rb") as stream:
            deck = attach_slides(assignment.talk, stream, staged.name, user, assignment.licence)
    except SlideUploadError as error:
        raise StagedFileRefused(staged.name, error) from error
    return AddedDeck(assignment.talk, deck, staged.name)


def add_staged_decks(batch: StagedBatch, assignments: list[Assignment], user: User) -> list[AddedDeck]:
    """A new current deck for each assigned talk, pending processing by the slide worker.
    Flushes; StagedFileRefused when one file is refused (the caller rolls back)."""
    return [_add_one(batch, assignment, user) for assignment in assignments]
