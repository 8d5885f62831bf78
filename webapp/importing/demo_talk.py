"""The demo's talk about Causeries itself: how to publish a study day, written for the demo.

It is marked as such in its event, its summary and its speaker ("L'équipe Causeries", no real
person), and carries what a newcomer running `make run` should see at work: a slide deck made by
the project (data/demo/causeries-demo.pdf, built by data/demo/build_deck.py), a transcript in
French and in English (data/demo/causeries-demo.*.vtt, written for the demo), and a sample video
link: Framasoft's two-minute presentation of PeerTube on framatube.org, named as a sample, as it
is not a recording of this talk. The seed study day keeps only what its blog post says.
Loading again changes nothing; a deck or transcript file that changed is added again.
"""
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from webapp.importing.demo_rows import sync_demo_event, sync_demo_speaker, sync_demo_talk
from webapp.models import SlideDeck, Talk
from webapp.sanitize import plain_text_to_html
from webapp.slides.operations import attach_slides, list_decks
from webapp.transcripts.operations import is_transcript_stored, save_transcript

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_DECK_PATH = DEMO_DIR / "causeries-demo.pdf"
DEMO_TRANSCRIPT_PATHS = {"fr": DEMO_DIR / "causeries-demo.fr.vtt", "en": DEMO_DIR / "causeries-demo.en.vtt"}
DEMO_DAY = date(2026, 12, 2)
DEMO_EVENT_KEY = "causeries-demonstration"
DEMO_TALK_KEY = "causeries-demonstration-publier-une-journee"
DEMO_SPEAKER_NAME = "L'équipe Causeries"
DEMO_LICENCE = "CC0-1.0"
DEMO_VIDEO_URL = "https://framatube.org/w/217eefeb-883d-45be-b7fc-a788ad8507d3"

DEMO_EVENT = {
    "title": "Causeries : démonstration",
    "start_date": DEMO_DAY,
    "end_date": DEMO_DAY,
    "host_organisation": "Causeries",
}
DEMO_EVENT_TEXT = {
    "description": plain_text_to_html(
        "Événement de démonstration, livré avec Causeries : il ne rapporte aucune journée qui a "
        "eu lieu. Son unique intervention présente l'archive elle-même et montre ce qu'elle sait "
        "faire : diaporama, transcription, vidéo et recherche."),
}
DEMO_EVENT_TAGS = ("causeries", "démonstration")
# Its slides take #mednumsavoirs, the seed's hashtag, as their example: the talk is filed under it too.
DEMO_TALK_TAGS = (*DEMO_EVENT_TAGS, "publication", "mednumsavoirs")

DEMO_SPEAKER = {
    "headline": "Contenu de démonstration",
    "organisation": "Causeries",
}

DEMO_TALK = {
    "title": "Publier une journée d'études avec Causeries",
    "language": "fr",
    "given_on": DEMO_DAY,
    "position": 1,
    "duration_minutes": 3,
    "video_url": DEMO_VIDEO_URL,
    "licence": DEMO_LICENCE,
    "published_at": datetime(2026, 12, 2, tzinfo=timezone.utc),
}
DEMO_TALK_TEXT = {
    "summary": plain_text_to_html(
        "Intervention de démonstration, écrite pour l'archive et livrée avec elle : comment "
        "publier une journée d'études avec Causeries, de l'événement en brouillon jusqu'au "
        "partage. Elle montre le visionneur de diaporamas, la transcription, le lecteur vidéo "
        "chargé au clic, et la recherche dans les diapositives et dans ce qui a été dit.\n\n"
        "La vidéo liée est une vidéo d'exemple : la présentation de PeerTube par Framasoft, "
        "qui n'est pas l'enregistrement de cette intervention."),
}


@dataclass(frozen=True)
class DemoTalkReport:
    is_changed: bool
    deck: SlideDeck | None  # the deck added by this load, to process; None when it was there


def load_demo_talk() -> DemoTalkReport:
    """Create or refresh the demo event, speaker and talk, its deck and transcripts. Flushes."""
    event, event_changed = sync_demo_event(DEMO_EVENT_KEY, DEMO_EVENT, DEMO_EVENT_TEXT, DEMO_EVENT_TAGS)
    speaker, speaker_changed = sync_demo_speaker(DEMO_SPEAKER_NAME, DEMO_SPEAKER)
    talk, talk_changed = sync_demo_talk(event, DEMO_TALK_KEY, DEMO_TALK, DEMO_TALK_TEXT, DEMO_TALK_TAGS, [speaker])
    deck = _sync_demo_deck(talk)
    transcripts_changed = _sync_demo_transcripts(talk)
    is_changed = event_changed or speaker_changed or talk_changed or deck is not None or transcripts_changed
    return DemoTalkReport(is_changed, deck)


def _sync_demo_deck(talk: Talk) -> SlideDeck | None:
    data = DEMO_DECK_PATH.read_bytes()
    if any(deck.sha256 == hashlib.sha256(data).hexdigest() for deck in list_decks(talk)):
        return None
    with DEMO_DECK_PATH.open("rb") as stream:
        return attach_slides(talk, stream, DEMO_DECK_PATH.name, None, DEMO_LICENCE)


def _sync_demo_transcripts(talk: Talk) -> bool:
    changed = False
    for language, path in DEMO_TRANSCRIPT_PATHS.items():
        data = path.read_bytes()
        if not is_transcript_stored(talk, language, data):
            with path.open("rb") as stream:
                save_transcript(talk, language, stream, path.name, None)
            changed = True
    return changed
