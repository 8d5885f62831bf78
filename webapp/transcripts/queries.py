"""What pages, downloads and search documents read of transcripts."""
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from webapp.core.visibility import public_talk_condition
from webapp.extensions import db
from webapp.models import Talk, Transcript

__all__ = ["TranscriptCue", "TranscriptView", "public_transcript", "talk_transcripts", "transcript_views",
           "transcripts_by_talk"]


def talk_transcripts(talk: Talk) -> list[Transcript]:
    """The talk's transcripts: the one in the talk's language first, then by language."""
    rows = db.session.scalars(select(Transcript).where(Transcript.talk_id == talk.id).order_by(Transcript.language))
    return sorted(rows, key=lambda transcript: transcript.language != talk.language)


def transcripts_by_talk(talk_ids: Iterable[int]) -> dict[int, list[Transcript]]:
    """talk id -> its transcripts by language, for many talks in one query (search documents)."""
    ids = list(talk_ids)
    found: dict[int, list[Transcript]] = {}
    if not ids:
        return found
    statement = select(Transcript).where(Transcript.talk_id.in_(ids)).order_by(Transcript.talk_id, Transcript.language)
    for transcript in db.session.scalars(statement):
        found.setdefault(transcript.talk_id, []).append(transcript)
    return found


def public_transcript(slug: str, language: str) -> Transcript | None:
    """The transcript in that language of the public talk with this slug, else None."""
    statement = (select(Transcript).join(Talk, Talk.id == Transcript.talk_id)
                 .where(public_talk_condition(), Talk.slug == slug, Transcript.language == language))
    return db.session.scalar(statement)


@dataclass(frozen=True)
class TranscriptCue:
    second: int
    text: str
    anchor: str | None  # the element id of the cue (t=<second>), given once per second of the page


@dataclass(frozen=True)
class TranscriptView:
    transcript: Transcript
    cues: list[TranscriptCue]


def transcript_views(transcripts: list[Transcript]) -> list[TranscriptView]:
    """The talk page's transcripts, each cue with its moment; the first cue of each second gets
    the anchor `t=<second>` (search results link there), in the first transcript that has it."""
    taken: set[int] = set()
    views = []
    for transcript in transcripts:
        cues = []
        for start_ms, _end_ms, text in transcript.cues:
            second = start_ms // 1000
            anchor = None if second in taken else f"t={second}"
            taken.add(second)
            cues.append(TranscriptCue(second, text, anchor))
        views.append(TranscriptView(transcript, cues))
    return views
