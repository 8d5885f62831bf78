"""Fixtures of the slide tests."""
import io

import pytest

from webapp.models import SlideDeck
from webapp.slides.operations import attach_slides


@pytest.fixture
def add_deck(db, make_talk):
    """add_deck(data, filename, **talk_fields) -> a committed deck waiting for processing."""
    def add(data: bytes, filename: str, **talk_fields) -> SlideDeck:
        talk = make_talk(**talk_fields)
        deck = attach_slides(talk, io.BytesIO(data), filename, None, "CC-BY-4.0")
        db.session.commit()
        return deck

    return add


def reloaded(db, deck_id: int) -> SlideDeck:
    db.session.expire_all()
    return db.session.get(SlideDeck, deck_id)
