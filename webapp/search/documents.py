"""Database rows -> search documents (plain dicts, see the search_index contract).

Only public rows become documents: a talk or speaker that is not public is deleted from the index.
Every document carries a version, a hash of its own content, so `flask search check` can tell
exactly which indexed documents are stale (a renamed speaker changes their talks' versions too).
"""
import hashlib
import json
from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.core.visibility import public_speakers, public_talks
from webapp.extensions import db
from webapp.models import REPORT_SECTIONS, SlideDeck, Speaker, Talk, TalkSpeaker
from webapp.sanitize import strip_tags
from webapp.slides.queries import current_ready_decks
from webapp.transcripts.queries import transcripts_by_talk

TALK = "talk"
SPEAKER = "speaker"
STREAM_BATCH = 500


def doc_id(kind: str, row_id: int) -> str:
    return f"{kind}:{row_id}"


def split_doc_id(value: str) -> tuple[str, int]:
    kind, _, raw_id = value.partition(":")
    return kind, int(raw_id)


def _with_version(document: dict) -> dict:
    payload = json.dumps(document, sort_keys=True, default=str, ensure_ascii=False)
    document["version"] = hashlib.sha1(payload.encode()).hexdigest()[:16]
    return document


def _speaker_names(talk: Talk) -> list[str]:
    names = []
    for speaker in talk.speakers:
        names.append(speaker.name)
        names.extend(alias.name for alias in speaker.confirmed_aliases)
    return list(dict.fromkeys(names))


def _sections_text(talk: Talk) -> str:
    return "\n\n".join(strip_tags(getattr(talk, name)) for name in REPORT_SECTIONS
                       if getattr(talk, name))


def _slides_fields(deck: SlideDeck | None) -> dict:
    """The text of each page of the talk's current ready deck, to find a word on its slide."""
    pages = deck.pages if deck is not None else []
    return {"has_slides": deck is not None,
            "slides": [{"page": page.number, "text": page.text} for page in pages if page.text]}


def _transcript_fields(transcripts) -> dict:
    """Each transcript's cues (second, plain text), to find a word at its moment of the talk."""
    return {"has_transcript": bool(transcripts),
            "transcripts": [{"language": transcript.language,
                             "cues": [{"start": start_ms // 1000, "text": text}
                                      for start_ms, _end_ms, text in transcript.cues]}
                            for transcript in transcripts]}


def _event_text(event) -> str:
    """The event as searched: its title, place and host organisation ("Toulouse" finds the
    talks of a study day held there)."""
    return " — ".join(part for part in (event.title, event.place, event.host_organisation) if part)


def talk_document(talk: Talk, deck: SlideDeck | None, transcripts=()) -> dict:
    """The talk's search document; `deck` is its current ready deck (current_ready_decks),
    `transcripts` its transcripts (transcripts_by_talk)."""
    return _with_version({
        "id": doc_id(TALK, talk.id), "type": TALK, "slug": talk.slug, "title": talk.title,
        "summary": strip_tags(talk.summary), "sections": _sections_text(talk),
        "speakers": _speaker_names(talk), "speaker_slugs": [s.slug for s in talk.speakers],
        "tags": [tag.name for tag in talk.tags], "event": _event_text(talk.event),
        "event_slug": talk.event.slug, "date": talk.given_on or talk.event.start_date,
        "language": talk.language if talk.language in ("fr", "en") else None,
        **_slides_fields(deck), **_transcript_fields(transcripts),
    })


def speaker_document(speaker: Speaker) -> dict:
    return _with_version({
        "id": doc_id(SPEAKER, speaker.id), "type": SPEAKER, "slug": speaker.slug,
        "name": speaker.name, "aliases": [alias.name for alias in speaker.confirmed_aliases],
        "headline": speaker.headline or "", "organisation": speaker.organisation or "",
        "bio": strip_tags(speaker.bio),
    })


def _talk_loading():
    return (
        selectinload(Talk.event), selectinload(Talk.tags),
        selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker)
        .selectinload(Speaker.aliases),
    )


def _public_talks_by_id(ids: Iterable[int]) -> list[Talk]:
    statement = public_talks().where(Talk.id.in_(list(ids))).options(*_talk_loading())
    return list(db.session.scalars(statement))


def _public_speakers_by_id(ids: Iterable[int]) -> list[Speaker]:
    statement = public_speakers().where(Speaker.id.in_(list(ids)))
    return list(db.session.scalars(statement.options(selectinload(Speaker.aliases))))


def build_documents(doc_ids: Iterable[str]) -> tuple[list[dict], list[str]]:
    """(documents to upsert, ids to delete) for the given document ids, from the database now,
    read STREAM_BATCH rows at a time as iter_public_documents() reads them (a drain batch asks
    for thousands)."""
    wanted = set(doc_ids)
    ids = {TALK: set(), SPEAKER: set()}
    for value in wanted:
        kind, row_id = split_doc_id(value)
        ids.setdefault(kind, set()).add(row_id)
    upserts = []
    for talk_ids in sorted_batches(ids[TALK]):
        upserts += _talk_documents(_public_talks_by_id(talk_ids))
    for speaker_ids in sorted_batches(ids[SPEAKER]):
        upserts += [speaker_document(s) for s in _public_speakers_by_id(speaker_ids)]
    found = {document["id"] for document in upserts}
    return upserts, sorted(wanted - found)


def sorted_batches(values: Iterable, size: int = STREAM_BATCH) -> Iterator[list]:
    """`values` in order, `size` at a time: one IN (...) list each."""
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def _talk_documents(talks: list[Talk]) -> Iterator[dict]:
    decks = current_ready_decks(talk.id for talk in talks)
    transcripts = transcripts_by_talk([talk.id for talk in talks])
    return (talk_document(talk, decks.get(talk.id), transcripts.get(talk.id, ())) for talk in talks)


def count_public_documents() -> int:
    talks = db.session.scalar(select(func.count()).select_from(public_talks().subquery()))
    speakers = db.session.scalar(select(func.count()).select_from(public_speakers().subquery()))
    return talks + speakers


def iter_public_documents() -> Iterator[dict]:
    """Every public document, streamed from the database in batches (never all rows at once)."""
    talks = public_talks().options(*_talk_loading()).order_by(Talk.id)
    for batch in db.session.scalars(talks.execution_options(yield_per=STREAM_BATCH)).partitions():
        yield from _talk_documents(batch)
    speakers = public_speakers().options(selectinload(Speaker.aliases)).order_by(Speaker.id)
    for speaker in db.session.scalars(speakers.execution_options(yield_per=STREAM_BATCH)):
        yield speaker_document(speaker)
