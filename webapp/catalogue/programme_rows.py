"""An event's programme as the event page shows it, read as plain rows rather than mapped talks.

A programme of a hundred talks loaded as mapped objects (each talk, its speaker links, speakers and
tags) spent some 12 ms building objects the page only reads a few fields of. These are three plain
queries: the talks, their speakers, their tags, each read through an index on the event's talks.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Row, select

from webapp.core.visibility import public_talks
from webapp.extensions import db
from webapp.models import Event, Speaker, Status, Tag, Talk, TalkSpeaker, talk_tags


@dataclass(frozen=True)
class TagLink:
    name: str

    @property
    def label(self) -> str:
        return f"#{self.name}"


@dataclass(frozen=True)
class ProgrammeEntry:
    """One talk of a programme, with what the event page shows of it (the names of Talk's fields)."""
    id: int
    slug: str
    title: str
    status: Status
    starts_at: datetime | None
    speakers: list[Row] = field(default_factory=list)  # (talk_id, id, slug, name) of each, in order
    tags: list[TagLink] = field(default_factory=list)


def programme_entries(event: Event, preview: bool = False) -> list[ProgrammeEntry]:
    """The event's public programme in order (with its drafts in a preview, as event_programme)."""
    base = select(Talk) if preview else public_talks()
    rows = db.session.execute(base.where(Talk.event_id == event.id).order_by(Talk.position, Talk.id)
                              .with_only_columns(Talk.id, Talk.slug, Talk.title, Talk.status, Talk.starts_at))
    entries = [ProgrammeEntry(*row) for row in rows]
    talk_ids = [entry.id for entry in entries]
    if talk_ids:
        speakers, tags = _speakers_of(talk_ids), _tags_of(talk_ids)
        for entry in entries:
            entry.speakers.extend(speakers[entry.id])
            entry.tags.extend(tags[entry.id])
    return entries


def _speakers_of(talk_ids: list[int]) -> dict[int, list[Row]]:
    query = (select(TalkSpeaker.talk_id, Speaker.id, Speaker.slug, Speaker.name).join(TalkSpeaker.speaker)
             .where(TalkSpeaker.talk_id.in_(talk_ids)).order_by(TalkSpeaker.talk_id, TalkSpeaker.position))
    found = defaultdict(list)
    for row in db.session.execute(query):
        found[row.talk_id].append(row)
    return found


def _tags_of(talk_ids: list[int]) -> dict[int, list[TagLink]]:
    query = (select(talk_tags.c.talk_id, Tag.name).join(Tag, Tag.id == talk_tags.c.tag_id)
             .where(talk_tags.c.talk_id.in_(talk_ids)).order_by(talk_tags.c.talk_id, Tag.name))
    found = defaultdict(list)
    for talk_id, name in db.session.execute(query):
        found[talk_id].append(TagLink(name))
    return found
