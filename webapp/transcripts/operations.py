"""Transcripts: add or replace a talk's transcript in one language, delete it. Flush, never commit.

Each change is in the audit log (the talk's entry names `transcript_<language>`), and reaches the
search index through the outbox (webapp/search/outbox.py queues the talk for any Transcript row).
"""
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.core.audit import record_audit
from webapp.extensions import db
from webapp.models import Talk, Transcript, User
from webapp.transcripts.validation import (
    TranscriptError,
    parse_transcript,
    read_limited,
    too_large_error,
    write_vtt,
)

__all__ = ["TranscriptError", "delete_transcript", "save_transcript", "transcript_languages", "too_large_error"]

NAME_LENGTH = 200


def transcript_languages() -> tuple[str, ...]:
    """The languages a transcript may be in: the archive's own (LANGUAGES)."""
    return tuple(current_app.config["LANGUAGES"])


def _checked_language(language: str | None) -> str:
    if language not in transcript_languages():
        raise TranscriptError(400, "invalid_language", _l(
            "Choose the language of the transcript among %(codes)s.", codes=", ".join(transcript_languages())))
    return language


def _clean_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if character.isprintable() and character not in '<>"')
    return " ".join(name.split())[:NAME_LENGTH] or "transcript"


def _find(talk: Talk, language: str) -> Transcript | None:
    return db.session.scalar(select(Transcript).where(Transcript.talk_id == talk.id, Transcript.language == language))


def _label(transcript: Transcript | None) -> str | None:
    if transcript is None:
        return None
    return f"{transcript.original_name} ({transcript.cue_count})"


def save_transcript(talk: Talk, language: str | None, stream: BinaryIO, filename: str | None,
                    user: User | None) -> Transcript:
    """Read, check and normalise the file, then add it as the talk's transcript in that language
    (replacing the one there was). TranscriptError (400, 413, 422): nothing is kept."""
    language = _checked_language(language)
    config = current_app.config
    cues = parse_transcript(read_limited(stream, config["TRANSCRIPT_MAX_BYTES"]), config["TRANSCRIPT_MAX_CUES"])
    transcript = _find(talk, language)
    before = _label(transcript)
    if transcript is None:
        transcript = Transcript(talk_id=talk.id, language=language)
        db.session.add(transcript)
    transcript.vtt, transcript.cues, transcript.cue_count = write_vtt(cues), [cue.as_row() for cue in cues], len(cues)
    transcript.original_name = _clean_name(filename)
    transcript.uploaded_by_id = user.id if isinstance(user, User) else None
    db.session.flush()
    record_audit(user, "update", talk, {f"transcript_{language}": [before, _label(transcript)]})
    return transcript


def is_transcript_stored(talk: Talk, language: str, data: bytes) -> bool:
    """True when the talk's transcript in that language holds exactly the cues of this file."""
    transcript = _find(talk, language)
    if transcript is None:
        return False
    cues = parse_transcript(data, current_app.config["TRANSCRIPT_MAX_CUES"])
    return transcript.cues == [cue.as_row() for cue in cues]


def delete_transcript(talk: Talk, language: str, user: User | None) -> bool:
    """Delete the talk's transcript in that language; False when there was none."""
    transcript = _find(talk, language)
    if transcript is None:
        return False
    before = _label(transcript)
    db.session.delete(transcript)
    db.session.flush()
    record_audit(user, "update", talk, {f"transcript_{language}": [before, None]})
    return True
