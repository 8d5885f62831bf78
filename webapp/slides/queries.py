"""Read-side queries for slide decks on public pages: the talk page viewer, slide hits in search.

Callers pass talks or hits that are already public (found through core/visibility.py), but
deck_versions: every version of a talk's slides, for the workspace and the speakers' page.
"""
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import DeckStatus, SlideDeck, SlidePage, Talk
from webapp.models._base import utcnow


@dataclass(frozen=True)
class CurrentSlides:
    deck: SlideDeck
    pages: list[SlidePage]
    pages_done: int  # pages with their images made, for the progress of a deck being processed

    @property
    def has_images(self) -> bool:
        return any(page.image_key for page in self.pages)


@dataclass(frozen=True)
class SlideHitPage:
    deck: SlideDeck
    page: SlidePage


def has_ready_slides():
    """SQL condition on Talk: its current deck is ready (a talk list can sort or filter on it)."""
    return exists().where(SlideDeck.talk_id == Talk.id, SlideDeck.is_current.is_(True),
                          SlideDeck.status == DeckStatus.READY)


def current_deck(talk: Talk) -> SlideDeck | None:
    query = select(SlideDeck).where(SlideDeck.talk_id == talk.id, SlideDeck.is_current.is_(True))
    return db.session.scalar(query)


def _pages(deck: SlideDeck) -> list[SlidePage]:
    query = select(SlidePage).where(SlidePage.deck_id == deck.id).order_by(SlidePage.number)
    return list(db.session.scalars(query))


def _pages_done(deck: SlideDeck) -> int:
    query = select(func.count(SlidePage.id)).where(SlidePage.deck_id == deck.id,
                                                   SlidePage.image_key.is_not(None))
    return db.session.scalar(query) or 0


def current_slides(talk: Talk) -> CurrentSlides | None:
    """The talk's current deck with its pages once ready (or the progress while processing)."""
    deck = current_deck(talk)
    if deck is None:
        return None
    if deck.status == DeckStatus.READY:
        return CurrentSlides(deck, _pages(deck), deck.page_count or 0)
    return CurrentSlides(deck, [], _pages_done(deck) if deck.status == DeckStatus.PROCESSING else 0)


def slide_hit_pages(hits) -> dict[int, SlideHitPage]:
    """For search hits found inside slides: talk id -> the page of its current ready deck."""
    wanted = {item.talk.id: item.hit.slide_page for item in hits if item.hit.slide_page}
    if not wanted:
        return {}
    query = (select(SlideDeck, SlidePage).join(SlidePage, SlidePage.deck_id == SlideDeck.id)
             .where(SlideDeck.talk_id.in_(wanted), SlideDeck.is_current.is_(True),
                    SlideDeck.status == DeckStatus.READY, SlidePage.number.in_(set(wanted.values()))))
    return {deck.talk_id: SlideHitPage(deck, page) for deck, page in db.session.execute(query)
            if wanted[deck.talk_id] == page.number}


def current_ready_decks(talk_ids: Iterable[int]) -> dict[int, SlideDeck]:
    """talk id -> its current deck with pages loaded, for those of the talks whose deck is ready
    (one query for the decks and one for their pages, however many talks)."""
    statement = (select(SlideDeck).where(SlideDeck.talk_id.in_(list(talk_ids)), SlideDeck.is_current.is_(True),
                                         SlideDeck.status == DeckStatus.READY)
                 .options(selectinload(SlideDeck.pages)))
    return {deck.talk_id: deck for deck in db.session.scalars(statement)}


class DeckStage(enum.StrEnum):
    """Where a deck is, for people: processing is waiting for the worker, then converting."""

    WAITING = "waiting"
    CONVERTING = "converting"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class DeckVersion:
    deck: SlideDeck
    stage: DeckStage
    pages_done: int  # pages converted so far (all of them once ready)


def deck_stage(deck: SlideDeck, now=None) -> DeckStage:
    if deck.status != DeckStatus.PROCESSING:
        return DeckStage(deck.status.value)
    is_claimed = deck.lease_expires_at is not None and deck.lease_expires_at > (now or utcnow())
    return DeckStage.CONVERTING if is_claimed else DeckStage.WAITING


def _pages_saved(decks: list[SlideDeck]) -> dict[int, int]:
    """deck id -> pages saved so far, for the decks being processed (one query)."""
    ids = [deck.id for deck in decks if deck.status == DeckStatus.PROCESSING]
    if not ids:
        return {}
    query = (select(SlidePage.deck_id, func.count(SlidePage.id)).where(SlidePage.deck_id.in_(ids))
             .group_by(SlidePage.deck_id))
    return {deck_id: count for deck_id, count in db.session.execute(query)}


def describe_versions(decks: list[SlideDeck]) -> list[DeckVersion]:
    """Each deck with its stage and how many of its pages are converted."""
    saved, now = _pages_saved(decks), utcnow()
    return [DeckVersion(deck, deck_stage(deck, now), saved.get(deck.id, deck.page_count or 0))
            for deck in decks]


def deck_versions(talk: Talk) -> list[DeckVersion]:
    """Every version of the talk's slides, newest first, with its stage and progress."""
    query = (select(SlideDeck).where(SlideDeck.talk_id == talk.id).order_by(SlideDeck.version.desc())
             .options(selectinload(SlideDeck.uploaded_by)))
    return describe_versions(list(db.session.scalars(query)))
