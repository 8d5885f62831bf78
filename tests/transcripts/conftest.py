"""Fixtures of the transcript tests (the files themselves are in samples.py)."""
import io

import pytest

from webapp.models import Transcript
from webapp.transcripts.operations import save_transcript


@pytest.fixture
def add_transcript(db):
    """add_transcript(talk, text, language="fr", filename="talk.srt") -> a committed transcript."""
    def add(talk, text: str, language: str = "fr", filename: str = "talk.srt") -> Transcript:
        transcript = save_transcript(talk, language, io.BytesIO(text.encode("utf-8")), filename, None)
        db.session.commit()
        return transcript

    return add


@pytest.fixture
def speaker_owning(db, make_user, make_speaker, make_talk, login_as):
    """speaker_owning(**talk_fields) -> (client, talk): a speaker account owning the profile of one of
    the talk's speakers; logged in, reading English."""
    def make(**talk_fields):
        alice = make_speaker("Alice Arnaud", slug="alice")
        talk = make_talk(speakers=[alice], **talk_fields)
        user = make_user("speaker", email="alice@example.org")
        alice.owners.append(user)
        db.session.commit()
        client = login_as(user)
        client.set_cookie("lang", "en")
        return client, talk

    return make
