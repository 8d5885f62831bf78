"""The catalogue API's lists: public rows only (webapp/core/visibility.py), in id order, one keyset
page at a time (cursors.py), with a few queries per page however large the archive.

A filter naming a slug or a tag that no public row has gives an empty list, as search does: the
answer never tells a draft from a row that does not exist.
"""
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from webapp.catalogue.api.cursors import Page, page_of
from webapp.catalogue.api.params import ListArgs
from webapp.catalogue.queries import talk_list_options
from webapp.core.naming import SLUG_COLUMN_LENGTH
from webapp.core.visibility import public_events, public_speakers, public_tags, public_talk_condition, public_talks
from webapp.extensions import db
from webapp.models import DeckStatus, Event, SlideDeck, Speaker, Tag, TagEvent, Talk, TalkSpeaker, talk_tags

NOTHING = -1  # the id of no row: a filter that names nothing public


def _public_id(query: Select, model, key_column, value: str) -> int:
    """The id of the public row whose key is `value` (one read of a unique index), or NOTHING."""
    if len(value) > SLUG_COLUMN_LENGTH:
        return NOTHING
    return db.session.scalar(query.where(key_column == value).with_only_columns(model.id)) or NOTHING


def public_event_id(slug: str) -> int:
    return _public_id(public_events(), Event, Event.slug, slug)


def public_speaker_id(slug: str) -> int:
    return _public_id(public_speakers(), Speaker, Speaker.slug, slug)


def public_tag_id(name: str) -> int:
    return _public_id(public_tags(), Tag, Tag.name, name)


def _keyset_page(query: Select, model, args: ListArgs, kind: str) -> Page:
    query = query.where(model.id > args.after_id).order_by(model.id).limit(args.limit + 1)
    return page_of(list(db.session.scalars(query)), kind, args.limit)


def _filtered_talks(filters: dict) -> Select:
    query = public_talks()
    if "event" in filters:
        query = query.where(Talk.event_id == public_event_id(filters["event"]))
    if "speaker" in filters:
        query = query.join(TalkSpeaker, TalkSpeaker.talk_id == Talk.id).where(
            TalkSpeaker.speaker_id == public_speaker_id(filters["speaker"]))
    if "tag" in filters:
        query = query.join(talk_tags, talk_tags.c.talk_id == Talk.id).where(
            talk_tags.c.tag_id == public_tag_id(filters["tag"]))
    if "language" in filters:
        query = query.where(Talk.language == filters["language"])
    if "updated_since" in filters:
        query = query.where(Talk.updated_at >= filters["updated_since"])
    return query


def talks_page(args: ListArgs) -> Page:
    return _keyset_page(_filtered_talks(args.filters).options(*talk_list_options()), Talk, args, "talk")


def events_page(args: ListArgs) -> Page:
    query = public_events().options(selectinload(Event.tags))
    if "tag" in args.filters:
        query = query.join(TagEvent, TagEvent.event_id == Event.id).where(
            TagEvent.tag_id == public_tag_id(args.filters["tag"]))
    if "updated_since" in args.filters:
        query = query.where(Event.updated_at >= args.filters["updated_since"])
    return _keyset_page(query, Event, args, "event")


def speakers_page(args: ListArgs) -> Page:
    query = public_speakers()
    if "event" in args.filters:
        speakers_of_event = (select(TalkSpeaker.speaker_id).join(Talk, Talk.id == TalkSpeaker.talk_id)
                             .where(Talk.event_id == public_event_id(args.filters["event"]), public_talk_condition()))
        query = query.where(Speaker.id.in_(speakers_of_event))
    if "updated_since" in args.filters:
        query = query.where(Speaker.updated_at >= args.filters["updated_since"])
    return _keyset_page(query, Speaker, args, "speaker")


def current_ready_decks(talk_ids: list[int]) -> dict[int, SlideDeck]:
    """talk id -> its current deck, when it is ready. Read through the talk_id index (a talk has a few
    versions), the status checked here: a condition on it would lead SQLite to the status index."""
    if not talk_ids:
        return {}
    query = select(SlideDeck).where(SlideDeck.talk_id.in_(talk_ids), SlideDeck.is_current.is_(True))
    return {deck.talk_id: deck for deck in db.session.scalars(query) if deck.status == DeckStatus.READY}


def tags_page(args: ListArgs) -> Page:
    return _keyset_page(public_tags(), Tag, args, "tag")
