"""Talks as the lists of the public pages show them, read as plain rows rather than mapped talks.

A list card shows a talk's title, day, event, speakers and tags. Loading twenty talks as mapped
objects (each talk, its speaker links, its speakers, its tags, its event) spent some 4 ms building
objects the card reads a few fields of; three plain queries by primary key read the same in about
a quarter of that. Callers find the public talks of a page (their ids, in order), then ask for
their cards here; the names are those of Talk's fields, so the same templates read both.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, select

from webapp.core.visibility import public_talk_condition
from webapp.extensions import db
from webapp.models import Event, Speaker, Tag, Talk, TalkSpeaker, talk_tags


@dataclass(frozen=True)
class TagLink:
    name: str

    @property
    def label(self) -> str:
        return f"#{self.name}"


@dataclass(frozen=True)
class EventLink:
    slug: str
    title: str
    start_date: date | None


@dataclass(frozen=True)
class TalkCard:
    id: int
    slug: str
    title: str
    given_on: date | None
    event: EventLink
    speakers: list[Row]  # (talk_id, id, slug, name) of each speaker, in the talk's order
    tags: list[TagLink]  # by name


def talk_cards(talk_ids: list[int]) -> list[TalkCard]:
    """The cards of these talks in this order; a talk no longer public meanwhile is left out."""
    if not talk_ids:
        return []
    rows = db.session.execute(
        select(Talk.id, Talk.slug, Talk.title, Talk.given_on, Event.slug, Event.title, Event.start_date)
        .join(Talk.event).where(Talk.id.in_(talk_ids), public_talk_condition()))
    speakers, tags = speakers_of(talk_ids), tags_of(talk_ids)
    cards = {row[0]: TalkCard(*row[:4], event=EventLink(*row[4:]), speakers=speakers[row[0]], tags=tags[row[0]])
             for row in rows}
    return [cards[talk_id] for talk_id in talk_ids if talk_id in cards]


def speakers_of(talk_ids: list[int]) -> dict[int, list[Row]]:
    """Each talk's speakers, in the talk's order: rows of (talk_id, id, slug, name)."""
    query = (select(TalkSpeaker.talk_id, Speaker.id, Speaker.slug, Speaker.name).join(TalkSpeaker.speaker)
             .where(TalkSpeaker.talk_id.in_(talk_ids)).order_by(TalkSpeaker.talk_id, TalkSpeaker.position))
    found = defaultdict(list)
    for row in db.session.execute(query):
        found[row.talk_id].append(row)
    return found


def tags_of(talk_ids: list[int]) -> dict[int, list[TagLink]]:
    """Each talk's tags, by name."""
    query = (select(talk_tags.c.talk_id, Tag.name).join(Tag, Tag.id == talk_tags.c.tag_id)
             .where(talk_tags.c.talk_id.in_(talk_ids)).order_by(talk_tags.c.talk_id, Tag.name))
    found = defaultdict(list)
    for talk_id, name in db.session.execute(query):
        found[talk_id].append(TagLink(name))
    return found
