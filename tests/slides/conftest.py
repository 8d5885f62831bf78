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


@pytest.fixture
def alice_speaking(db, make_user, make_speaker, make_talk, login_as):
    """alice_speaking(*talk_fields) -> (client, talks): a speaker account owning the profile of
    "alice", who gave these talks (one dict of make_talk's fields each); logged in, reading English."""
    def make(*talk_fields: dict):
        alice = make_speaker("Alice Arnaud", slug="alice")
        talks = [make_talk(speakers=[alice], **fields) for fields in talk_fields]
        user = make_user("speaker", email="a@example.org")
        alice.owners.append(user)
        db.session.commit()
        client = login_as(user)
        client.set_cookie("lang", "en")
        return client, talks

    return make
