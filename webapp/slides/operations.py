"""Slide decks: attach an uploaded file to a talk, list the versions, process pending decks.

attach_slides and list_decks flush and never commit (the view or command commits).
process_pending_decks is an edge like indexing.drain_queue: it commits the claim of a deck
(attempts + a lease, see webapp/slides/leases.py), each batch of pages as they are done, and the
result; every one of those writes renews the lease first, so a worker whose lease was taken
over writes nothing more. A run that dies is resumed by any worker, on any host, once its lease
has run out; a deck claimed more than MAX_ATTEMPTS times is failed.
"""
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from webapp.core.i18n import format_file_size
from webapp.core.licences import LICENCES, is_offered, normalise_licence
from webapp.core.storage import FileStore, TooLarge, get_file_store
from webapp.extensions import db
from webapp.models import DeckKind, DeckStatus, SlideDeck, SlidePage, Talk, User
from webapp.models._base import utcnow
from webapp.slides.leases import DeckLease, LeaseLost, claim_next_deck
from webapp.slides.processing import Limits, ProcessingError, RenderedPage, render_deck
from webapp.slides.validation import SlideUploadError, detect_kind

__all__ = ["LeaseLost", "SlideUploadError", "attach_slides", "claim_next_deck", "list_decks", "process_deck",
           "process_pending_decks", "prune_stored_files", "sanitise_filename", "too_large_error"]

MAX_ATTEMPTS = 3
PRUNE_MIN_AGE_SECONDS = 3600
UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')

log = logging.getLogger(__name__)


# --- upload -----------------------------------------------------------------------------------

def sanitise_filename(filename: str | None, kind: DeckKind) -> str:
    """The base name, without control, format (e.g. right-to-left override) or path characters,
    ending with the suffix of the type found in the content."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # controls, bidi marks
    name = UNSAFE_NAME_CHARACTERS.sub(" ", PurePosixPath(name).name)
    stem = " ".join(PurePosixPath(name).stem.split()).strip(" .") or "slides"
    return f"{stem[:200]}.{kind.value}"


def _checked_licence(licence: str | None, talk: Talk) -> str | None:
    """One of the licences the forms offer, however it is written; without one (the API and the
    command may leave it out), the talk's licence."""
    if not (licence or "").strip():
        return normalise_licence(talk.licence)
    if not is_offered(licence):
        raise SlideUploadError(400, "invalid_licence", _l(
            "Unknown licence: give one of %(codes)s.", codes=", ".join(item.code for item in LICENCES)))
    return normalise_licence(licence)


def too_large_error() -> SlideUploadError:
    limit = current_app.config["SLIDES_MAX_BYTES"]
    return SlideUploadError(413, "too_large", _l(
        "The file is larger than the limit of %(limit)s.", limit=format_file_size(limit)))


def _spool_upload(store: FileStore, stream: BinaryIO):
    try:
        return store.spool(stream, current_app.config["SLIDES_MAX_BYTES"])
    except TooLarge as error:
        raise too_large_error() from error


def _next_version(talk: Talk) -> int:
    highest = db.session.scalar(select(func.max(SlideDeck.version))
                                .where(SlideDeck.talk_id == talk.id))
    return (highest or 0) + 1


def _add_current_deck(deck: SlideDeck) -> None:
    """The new deck becomes the talk's current version; older ones stay for organisers."""
    try:
        with db.session.begin_nested():
            db.session.execute(update(SlideDeck).where(SlideDeck.talk_id == deck.talk_id)
                               .values(is_current=False))
            db.session.add(deck)
    except IntegrityError as error:
        raise SlideUploadError(409, "conflict", _l(
            "Another version of these slides was uploaded at the same moment; try again.")) from error


def _new_deck(talk: Talk, spooled, kind: DeckKind, filename, user, licence) -> SlideDeck:
    is_download_only = kind == DeckKind.KEY
    return SlideDeck(
        talk_id=talk.id, version=_next_version(talk), is_current=True, kind=kind,
        status=DeckStatus.READY if is_download_only else DeckStatus.PROCESSING,
        processed_at=utcnow() if is_download_only else None,
        original_name=sanitise_filename(filename, kind), sha256=spooled.sha256,
        size=spooled.size, storage_key=spooled.sha256, licence=licence, attempts=0,
        uploaded_by_id=user.id if isinstance(user, User) else None)


@dataclass(frozen=True)
class SpeakerQuota:
    """What a speaker account may upload (organisers and admins have no quota): in all,
    SLIDES_SPEAKER_QUOTA_BYTES of decks (413 beyond), and SLIDES_SPEAKER_MAX_VERSIONS versions of
    one talk's slides (422 beyond). Every version is kept, so both bound what one account costs."""

    user_id: int | None
    max_bytes: int
    max_versions: int

    @classmethod
    def of(cls, user: User | None) -> "SpeakerQuota":
        config = current_app.config
        is_speaker = isinstance(user, User) and not user.can_manage
        return cls(user.id if is_speaker else None, config["SLIDES_SPEAKER_QUOTA_BYTES"],
                   config["SLIDES_SPEAKER_MAX_VERSIONS"])

    def _used_bytes(self) -> int:
        return db.session.scalar(select(func.coalesce(func.sum(SlideDeck.size), 0)).where(
            SlideDeck.uploaded_by_id == self.user_id))

    def check_before_upload(self, talk: Talk) -> None:
        """Refused before a byte of the file is read: versions used up, or no space left."""
        if self.user_id is None:
            return
        versions = db.session.scalar(select(func.count(SlideDeck.id)).where(
            SlideDeck.uploaded_by_id == self.user_id, SlideDeck.talk_id == talk.id))
        if versions >= self.max_versions:
            raise SlideUploadError(422, "too_many_versions", _l(
                "You have already uploaded %(count)d versions of these slides, the most a speaker "
                "may; ask the organisers to add a new one.", count=self.max_versions))
        if self._used_bytes() >= self.max_bytes:
            raise self._over_quota()

    def check_size(self, size: int) -> None:
        """Refused once the file is read, when it would take the account past its quota."""
        if self.user_id is not None and self._used_bytes() + size > self.max_bytes:
            raise self._over_quota()

    def _over_quota(self) -> SlideUploadError:
        return SlideUploadError(413, "quota_exceeded", _l(
            "This file would take your slide decks past your quota of %(quota)s (%(used)s used); "
            "ask the organisers to upload it.",
            quota=format_file_size(self.max_bytes), used=format_file_size(self._used_bytes())))


def attach_slides(talk: Talk, stream: BinaryIO, filename: str | None, user: User | None = None,
                  licence: str | None = None) -> SlideDeck:
    """Validate the file by its content, store it, and add it as the talk's current deck.

    SlideUploadError (with .status and .code) when the file is refused: then nothing is kept,
    neither a row nor a file. Keynote decks are ready at once (download only); others are
    processed in the background (status "processing").
    """
    licence = _checked_licence(licence, talk)
    quota = SpeakerQuota.of(user)
    quota.check_before_upload(talk)
    store = get_file_store()
    spooled = _spool_upload(store, stream)
    try:
        quota.check_size(spooled.size)
        kind = detect_kind(spooled.path)
        deck = _new_deck(talk, spooled, kind, filename, user, licence)
        _add_current_deck(deck)
        store.keep(spooled)
    finally:
        spooled.remove()
    return deck


def list_decks(talk: Talk, include_old_versions: bool = False) -> list[SlideDeck]:
    """The talk's decks, newest first: only the current one unless include_old_versions."""
    query = select(SlideDeck).where(SlideDeck.talk_id == talk.id)
    if not include_old_versions:
        query = query.where(SlideDeck.is_current.is_(True))
    return list(db.session.scalars(query.order_by(SlideDeck.version.desc())))


def prune_stored_files(older_than_seconds: float = PRUNE_MIN_AGE_SECONDS) -> int:
    """Delete stored files no deck or page refers to any more (deleted talks, uploads whose
    transaction failed); returns how many. Files younger than the given age are kept."""
    keys = set(db.session.scalars(select(SlideDeck.storage_key)))
    keys |= set(db.session.scalars(select(SlidePage.thumb_key).where(SlidePage.thumb_key.is_not(None))))
    keys |= set(db.session.scalars(select(SlidePage.image_key).where(SlidePage.image_key.is_not(None))))
    return get_file_store().remove_unlisted(keys, older_than_seconds)


# --- processing -------------------------------------------------------------------------------

def fail_deck(deck: SlideDeck, reason: str) -> None:
    """Keep the deck (still downloadable) and say why it has no pages."""
    deck.pages.clear()
    deck.status, deck.error, deck.page_count = DeckStatus.FAILED, reason, None
    deck.processed_at, deck.lease_expires_at = utcnow(), None
    db.session.flush()


def _unsaved_pages(deck: SlideDeck, rendered: list[RenderedPage]) -> list[RenderedPage]:
    saved = {page.number for page in deck.pages}
    return [page for page in rendered if page.number not in saved]


def _add_new_pages(deck: SlideDeck, rendered: list[RenderedPage], store: FileStore) -> None:
    """Save the rendered pages not saved yet (their images go to the store). Flushes."""
    for page in _unsaved_pages(deck, rendered):
        deck.pages.append(SlidePage(
            number=page.number, text=page.text,
            thumb_key=store.put_file(page.thumb_path) if page.thumb_path else None,
            image_key=store.put_file(page.image_path) if page.image_path else None,
            width=page.width, height=page.height))
    db.session.flush()


def _mark_ready(deck: SlideDeck) -> None:
    deck.page_count, deck.status, deck.error = len(deck.pages), DeckStatus.READY, None
    deck.processed_at, deck.lease_expires_at = utcnow(), None
    db.session.flush()


def _progress_saver(deck: SlideDeck, lease: DeckLease, store: FileStore,
                    save_progress: Callable[[], None] | None) -> Callable[[list[RenderedPage]], None]:
    """What the sandbox's wait loop calls every second: new pages are saved, and the lease
    renewed, whenever there are new pages or a third of the lease has gone by."""
    def on_progress(pages: list[RenderedPage]) -> None:
        if not _unsaved_pages(deck, pages) and not lease.is_due:
            return
        lease.renew()
        _add_new_pages(deck, pages, store)
        if save_progress is not None:
            save_progress()

    return on_progress


def _render_and_save(deck: SlideDeck, lease: DeckLease, save_progress) -> None:
    store = get_file_store()
    on_progress = _progress_saver(deck, lease, store, save_progress)
    with store.temporary_directory() as workdir:
        try:
            rendered = render_deck(store.path_for(deck.storage_key), deck.kind.value,
                                   Path(workdir), Limits.from_config(), on_progress)
        except (ProcessingError, OSError, ValueError, KeyError) as error:
            lease.renew()
            fail_deck(deck, str(error) or type(error).__name__)
            return
        lease.renew()
        _add_new_pages(deck, rendered, store)
    _mark_ready(deck)


def process_deck(deck: SlideDeck, save_progress: Callable[[], None] | None = None,
                 lease: DeckLease | None = None) -> None:
    """Parse a claimed deck in the sandbox and save its pages, or mark it failed. Flushes.

    Pages are saved as the parser finishes them; save_progress() (a commit, from the edge)
    makes them visible meanwhile, so the talk page can show how far processing went. Every
    write renews the lease first (`lease`, by default the one the claim gave): LeaseLost, with
    the parser stopped, once another worker has taken the deck over."""
    lease = lease or DeckLease.of(deck)
    lease.renew()
    if deck.attempts > MAX_ATTEMPTS:
        fail_deck(deck, f"Processing was interrupted {MAX_ATTEMPTS} times; giving up.")
        return
    deck.pages.clear()  # what an interrupted run left
    db.session.flush()
    if save_progress is not None:
        save_progress()  # not holding the deck's row (or SQLite's write lock) while parsing
    _render_and_save(deck, lease, save_progress)


def _process_claimed(deck: SlideDeck) -> bool:
    """Process the deck, committing as it goes; False when its lease was lost meanwhile (what
    this worker had not committed is rolled back; the new holder's results stay)."""
    try:
        process_deck(deck, save_progress=db.session.commit)
        db.session.commit()
    except LeaseLost as lost:
        db.session.rollback()
        log.warning("%s; this worker leaves it to its new holder", lost)
        return False
    return True


def process_pending_decks(limit: int | None = None) -> int:
    """Process waiting decks one by one, committing each (an edge); returns how many this
    worker finished. Any number of workers, on any number of hosts, may run it at once."""
    done = 0
    while limit is None or done < limit:
        try:
            deck = claim_next_deck()
            db.session.commit()
            if deck is None:
                return done
            done += _process_claimed(deck)
        except BaseException:
            db.session.rollback()
            raise
    return done
