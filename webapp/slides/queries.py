"""Read-side queries for slide decks on public pages: the talk page viewer, slide hits in search.

Callers pass talks or hits that are already public (found through core/visibility.py).
The workspace lists versions with operations.list_decks.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import DeckStatus, SlideDeck, SlidePage, Talk


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
