"""Recompute all the summary data (`flask summary rebuild`), or tell what a recomputation would
change (`flask summary check`, and the tests: what the transactions kept must equal it)."""
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from webapp.catalogue.summary.keys import INDEX_LETTERS, OTHER_LETTER, Touched
from webapp.catalogue.summary.refresh import refresh
from webapp.models import (
    ArchiveCount,
    Event,
    Facet,
    ReadingListEntry,
    Series,
    Speaker,
    Tag,
    TagEvent,
    Talk,
    TalkSpeaker,
    talk_tags,
)

# Every summary column, by table: what `check` compares.
SUMMARY_COLUMNS = {
    "events": (Event.id, Event.public_talk_count, Event.listed_on),
    "tags": (Tag.id, Tag.public_talk_count, Tag.public_event_count),
    "speakers": (Speaker.id, Speaker.public_talk_count, Speaker.index_letter),
    "series": (Series.id, Series.public_talk_count),
    "talk_tags": (talk_tags.c.talk_id, talk_tags.c.tag_id, talk_tags.c.is_public, talk_tags.c.listed_on,
                  talk_tags.c.talk_position),
    "talk_speakers": (TalkSpeaker.talk_id, TalkSpeaker.speaker_id, TalkSpeaker.is_public, TalkSpeaker.listed_on,
                      TalkSpeaker.talk_position),
    "tag_events": (TagEvent.tag_id, TagEvent.event_id, TagEvent.listed_on, TagEvent.talk_count),
    "reading_list": (ReadingListEntry.talk_id, ReadingListEntry.has_slides, ReadingListEntry.listed_on),
}
PARTITIONS = {Facet.EVENTS_BY_YEAR: "years", Facet.TALKS_BY_YEAR: "years", Facet.TALKS_BY_PLACE: "places",
              Facet.TALKS_BY_ORGANISATION: "organisations", Facet.SPEAKERS_BY_LETTER: "letters"}


def everything(connection: Connection) -> Touched:
    """Every row, and every partition that is stored or could be."""
    touched = Touched(tags_total=True, letters={*INDEX_LETTERS, OTHER_LETTER})
    for model, attribute in ((Talk, "talks"), (Event, "events"), (Tag, "tags"), (Speaker, "speakers"),
                             (Series, "series")):
        getattr(touched, attribute).update(connection.scalars(select(model.id)))
    for facet, value in connection.execute(select(ArchiveCount.facet, ArchiveCount.value)):
        if facet in PARTITIONS:
            getattr(touched, PARTITIONS[facet]).add(value)
    return touched


def rebuild(session: Session) -> None:
    """Recompute everything; flushes, the caller commits."""
    session.flush()
    connection = session.connection()
    refresh(connection, everything(connection))


def snapshot(connection: Connection) -> dict[str, set]:
    found = {name: {tuple(row) for row in connection.execute(select(*columns))}
             for name, columns in SUMMARY_COLUMNS.items()}
    found["archive_counts"] = {tuple(row) for row in connection.execute(
        select(ArchiveCount.facet, ArchiveCount.value, ArchiveCount.count).where(ArchiveCount.count != 0))}
    return found


def differences(session: Session) -> dict[str, int]:
    """Rows a full recomputation would change, by table (empty: all is current). Keeps nothing."""
    session.flush()
    before = snapshot(session.connection())
    savepoint = session.begin_nested()
    try:
        rebuild(session)
        after = snapshot(session.connection())
    finally:
        savepoint.rollback()
    return {name: len(before[name] ^ after[name]) for name in before if before[name] != after[name]}
