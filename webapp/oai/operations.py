"""Keeping the OAI records current: recompute the records of the talks a transaction touched.

A record is written only when what it shows changed (its source's digest), and its datestamp moves
then only. A talk that stops being public (unpublished, its event unpublished, deleted, even by a
hard delete of its row) keeps its row as a tombstone: `is_deleted`, its last sets, a new datestamp.
A talk that never was public has no row. Flushes, never commits (HOUSE.md rule 3).
"""
from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from webapp.core.session_changes import chunked
from webapp.core.visibility import is_public_talk
from webapp.models import DeckStatus, OaiRecord, OaiRecordSet, SlideDeck, Talk, TalkSpeaker
from webapp.oai.sources import digest, set_specs, talk_source

records_table, record_sets_table = OaiRecord.__table__, OaiRecordSet.__table__


def now_in_seconds() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _public_talks(session: Session, ids: list[int]) -> dict[int, Talk]:
    query = (select(Talk).where(Talk.id.in_(ids))
             .options(selectinload(Talk.event), selectinload(Talk.tags),
                      selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker)))
    return {talk.id: talk for talk in session.scalars(query) if is_public_talk(talk)}


def _ready_decks(session: Session, ids: list[int]) -> dict[int, SlideDeck]:
    query = select(SlideDeck).where(SlideDeck.talk_id.in_(ids), SlideDeck.is_current.is_(True),
                                    SlideDeck.status == DeckStatus.READY)
    return {deck.talk_id: deck for deck in session.scalars(query)}


def _stored(connection: Connection, ids: list[int]) -> dict[int, tuple[bool, str]]:
    rows = connection.execute(select(records_table.c.talk_id, records_table.c.is_deleted, records_table.c.digest)
                              .where(records_table.c.talk_id.in_(ids)))
    return {talk_id: (is_deleted, stored_digest) for talk_id, is_deleted, stored_digest in rows}


def _insert(connection: Connection, table):
    """An insert that another transaction's row of the same key turns into an update (two organisers
    publishing one talk at the same moment)."""
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert(table)


def _write_live(connection: Connection, talk: Talk, source: dict, at: datetime) -> None:
    values = {"datestamp": at, "is_deleted": False, "digest": digest(source), "source": source}
    statement = _insert(connection, records_table).values(talk_id=talk.id, **values)
    connection.execute(statement.on_conflict_do_update(index_elements=["talk_id"], set_=values))
    connection.execute(delete(record_sets_table).where(record_sets_table.c.talk_id == talk.id))
    connection.execute(_insert(connection, record_sets_table).on_conflict_do_nothing(),
                       [{"set_spec": spec, "talk_id": talk.id} for spec in dict.fromkeys(set_specs(talk))])


def _refresh_chunk(session: Session, ids: list[int], at: datetime) -> None:
    connection = session.connection()
    public, stored = _public_talks(session, ids), _stored(connection, ids)
    decks = _ready_decks(session, list(public))
    for talk_id, talk in public.items():
        source = talk_source(talk, decks.get(talk_id))
        if stored.get(talk_id) != (False, digest(source)):
            _write_live(connection, talk, source, at)
    withdrawn = [talk_id for talk_id, (is_deleted, _) in stored.items() if not is_deleted and talk_id not in public]
    if withdrawn:
        connection.execute(update(records_table).where(records_table.c.talk_id.in_(withdrawn))
                           .values(is_deleted=True, datestamp=at))


def refresh_records(session: Session, talk_ids: Iterable[int]) -> None:
    """Bring the records of these talks (live, withdrawn or gone) in line with the archive."""
    at = now_in_seconds()
    for ids in chunked(talk_ids):
        _refresh_chunk(session, ids, at)


def rebuild_records(session: Session) -> None:
    """Every record, for changes made with raw SQL (`flask oai rebuild`)."""
    ids = set(session.scalars(select(Talk.id))) | set(session.scalars(select(OaiRecord.talk_id)))
    refresh_records(session, ids)
