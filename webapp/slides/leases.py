"""Claims and leases: which worker processes which deck, on any number of hosts.

A worker claims the oldest deck waiting (or whose lease ran out) in one short transaction: on
PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` (workers never wait for each other's claims and
never take the same row), on SQLite after taking the database's write lock (one writer at a
time); then the conditional UPDATE that counts the attempt and sets the lease. The lease lasts
SLIDES_LEASE_SECONDS; the worker renews it while it works, every third of it, and before every
write of the deck's results. A renewal is a conditional UPDATE on the lease_expires_at value the
worker wrote itself: when another worker took the deck over (the lease had run out), it fails,
LeaseLost is raised, and the stale worker writes nothing more of that deck (its writes roll
back with the renewal). Lease times come from the hosts' clocks: keep them in step (NTP).
"""
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from webapp.core.writers import dialect_name, hold_write_lock
from webapp.extensions import db
from webapp.models import DeckStatus, SlideDeck
from webapp.models._base import utcnow

RENEWALS_PER_LEASE = 3


class LeaseLost(Exception):
    """Another worker holds the deck now (or it is gone): stop writing its results."""

    def __init__(self, deck_id: int):
        super().__init__(f"deck {deck_id}: the lease was taken over or the deck is gone")
        self.deck_id = deck_id


def lease_seconds() -> int:
    return current_app.config["SLIDES_LEASE_SECONDS"]


def _new_expiry() -> datetime:
    return utcnow() + timedelta(seconds=lease_seconds())


def _claimable(now: datetime):
    return (SlideDeck.status == DeckStatus.PROCESSING) & or_(
        SlideDeck.lease_expires_at.is_(None), SlideDeck.lease_expires_at < now)


def _lock_next_claimable(now: datetime) -> int | None:
    """The id of the oldest claimable deck, locked for this transaction (the one place the two
    databases differ): its row on PostgreSQL, skipping rows other claims hold; the whole
    database on SQLite, whose writers run one at a time."""
    query = select(SlideDeck.id).where(_claimable(now)).order_by(SlideDeck.id).limit(1)
    if dialect_name() == "postgresql":
        query = query.with_for_update(skip_locked=True)
    else:
        hold_write_lock()
    return db.session.scalar(query)


def claim_next_deck() -> SlideDeck | None:
    """Take the oldest deck waiting for processing (or whose lease ran out): one more attempt
    and a lease of SLIDES_LEASE_SECONDS. Flushes; the caller commits at once (the claim's
    transaction is short). Two workers never hold the same deck."""
    now = utcnow()
    while (deck_id := _lock_next_claimable(now)) is not None:
        claimed = db.session.execute(
            update(SlideDeck).where(SlideDeck.id == deck_id, _claimable(now))
            .values(attempts=SlideDeck.attempts + 1, lease_expires_at=_new_expiry())
            .execution_options(synchronize_session=False))
        if claimed.rowcount == 1:
            deck = db.session.get(SlideDeck, deck_id)
            db.session.refresh(deck)
            return deck
    return None


@dataclass
class DeckLease:
    """This worker's hold on a deck: the lease_expires_at value it wrote last is its proof."""

    deck_id: int
    expires_at: datetime
    renewed_at: float = field(default_factory=time.monotonic)

    @classmethod
    def of(cls, deck: SlideDeck) -> "DeckLease":
        """The lease of a deck this worker has just claimed."""
        return cls(deck.id, deck.lease_expires_at)

    @property
    def is_due(self) -> bool:
        """A third of the lease has gone by since the last renewal."""
        return time.monotonic() - self.renewed_at >= lease_seconds() / RENEWALS_PER_LEASE

    def renew(self) -> None:
        """Extend the lease if it is still ours, else LeaseLost. Flushes; within the transaction
        that writes the deck's results, it keeps any other worker from taking the deck until
        the commit (PostgreSQL's row lock, SQLite's write lock)."""
        expires_at = _new_expiry()
        renewed = db.session.execute(
            update(SlideDeck).where(SlideDeck.id == self.deck_id,
                                    SlideDeck.status == DeckStatus.PROCESSING,
                                    SlideDeck.lease_expires_at == self.expires_at)
            .values(lease_expires_at=expires_at).execution_options(synchronize_session=False))
        if renewed.rowcount != 1:
            raise LeaseLost(self.deck_id)
        self.expires_at, self.renewed_at = expires_at, time.monotonic()
