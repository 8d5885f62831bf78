"""An event's programme as the event page shows it, read as plain rows rather than mapped talks.

A programme of a hundred talks loaded as mapped objects (each talk, its speaker links, speakers and
tags) spent some 12 ms building objects the page only reads a few fields of. These are three plain
queries: the talks, their speakers, their tags (webapp/core/talk_cards.py), read through indexes.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, select

from webapp.core.talk_cards import TagLink, speakers_of, tags_of
from webapp.core.visibility import public_talks
from webapp.extensions import db
from webapp.models import Event, Status, Talk


@dataclass(frozen=True)
class ProgrammeEntry:
    """One talk of a programme, with what the event page shows of it (the names of Talk's fields)."""
    id: int
    slug: str
    title: str
    status: Status
    starts_at: datetime | None
    speakers: list[Row]  # (talk_id, id, slug, name) of each, in order
    tags: list[TagLink]


def programme_entries(event: Event, preview: bool = False) -> list[ProgrammeEntry]:
    """The event's public programme in order (with its drafts in a preview, as event_programme)."""
    base = select(Talk) if preview else public_talks()
    rows = list(db.session.execute(base.where(Talk.event_id == event.id).order_by(Talk.position, Talk.id)
                                   .with_only_columns(Talk.id, Talk.slug, Talk.title, Talk.status, Talk.starts_at)))
    talk_ids = [row.id for row in rows]
    speakers, tags = (speakers_of(talk_ids), tags_of(talk_ids)) if talk_ids else ({}, {})
    return [ProgrammeEntry(*row, speakers=speakers.get(row.id, []), tags=tags.get(row.id, [])) for row in rows]
