"""The demo's talk about Causeries itself: marked as a demo, with a deck the project built, a
transcript in French and English and a sample PeerTube video; all of it searchable."""
import subprocess
import sys

import pytest
from sqlalchemy import select

from webapp.core.visibility import is_public_talk
from webapp.importing.demo_talk import DEMO_DECK_PATH, DEMO_TALK_KEY, load_demo_talk
from webapp.models import DeckStatus, SlideDeck, Talk, Transcript
from webapp.slides.operations import process_pending_decks


@pytest.fixture
def demo_talk(db, drain):
    report = load_demo_talk()
    db.session.commit()
    assert report.is_changed and report.deck is not None
    assert process_pending_decks() == 1
    drain()
    return db.session.scalar(select(Talk).where(Talk.import_key == DEMO_TALK_KEY))


def test_the_demo_talk_says_it_is_a_demo_and_credits_no_real_person(demo_talk):
    assert is_public_talk(demo_talk)
    assert demo_talk.title == "Publier une journée d'études avec Causeries"
    assert "démonstration" in demo_talk.summary and "vidéo d'exemple" in demo_talk.summary
    assert [speaker.name for speaker in demo_talk.speakers] == ["L'équipe Causeries"]
    assert "démonstration" in demo_talk.event.description
    assert demo_talk.video_url.startswith("https://framatube.org/w/")


def test_its_deck_is_processed_into_pages_with_their_text(db, demo_talk):
    [deck] = db.session.scalars(select(SlideDeck).where(SlideDeck.talk_id == demo_talk.id)).all()
    assert (deck.status, deck.page_count, deck.licence) == (DeckStatus.READY, 7, "CC0-1.0")
    assert "Déposer les diaporamas" in deck.pages[3].text


def test_its_transcripts_are_stored_in_both_languages(db, demo_talk):
    transcripts = {t.language: t for t in db.session.scalars(
        select(Transcript).where(Transcript.talk_id == demo_talk.id))}
    assert sorted(transcripts) == ["en", "fr"]
    assert transcripts["fr"].cue_count == transcripts["en"].cue_count == 15
    assert "horodatage" in transcripts["fr"].vtt


def test_search_finds_it_by_a_word_on_a_slide_and_a_word_said(demo_talk, found):
    assert found("OpenDocument") == [demo_talk.slug]  # on slide 4 and said, nowhere in the summary
    assert found("horodatages") == [demo_talk.slug]  # said only: the transcript, stemmed
    assert found("timestamp") == [demo_talk.slug]  # the English transcript


def test_the_talk_page_shows_the_viewer_the_transcript_and_the_facade(app, demo_talk):
    client = app.test_client()
    page = client.get(f"/talks/{demo_talk.slug}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Déposer les diaporamas" in page  # the slides' text
    assert "horodatage" in page  # the transcript
    assert "framatube.org" in page and "<iframe" not in page  # the facade, no player yet


def test_loading_again_changes_nothing(db, demo_talk):
    report = load_demo_talk()
    db.session.commit()
    assert not report.is_changed and report.deck is None
    assert db.session.scalar(select(SlideDeck.version).where(SlideDeck.talk_id == demo_talk.id)) == 1


def test_the_shipped_deck_is_what_its_script_builds(tmp_path):
    built = tmp_path / "deck.pdf"
    subprocess.run([sys.executable, "data/demo/build_deck.py", str(built)], check=True, capture_output=True,
                   cwd=DEMO_DECK_PATH.parents[2])
    assert built.read_bytes() == DEMO_DECK_PATH.read_bytes()
