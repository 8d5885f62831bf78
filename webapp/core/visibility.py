"""What the public may see. Drafts never leave this module's filters.

A talk is public when it is published and its event is published. An event is public when it
is published. A speaker or a tag is public when it has at least one public talk.
Every public page, feed, sitemap, API answer and search document goes through these.
"""
from functools import cache

from sqlalchemy import Select, exists, select

from webapp.models import CuratedPath, Event, Speaker, Status, Tag, Talk, TalkSpeaker, talk_tags


@cache
def public_talk_condition():
    """Built once: SQL expressions are immutable, and building this EXISTS cost every query a
    fraction of a millisecond (every public page and search asks it several times)."""
    return (Talk.status == Status.PUBLISHED) & Talk.event.has(Event.status == Status.PUBLISHED)


def public_talks() -> Select:
    return select(Talk).where(public_talk_condition())


def public_events() -> Select:
    return select(Event).where(Event.status == Status.PUBLISHED)


@cache
def _speaker_has_public_talk():
    return exists().where(TalkSpeaker.speaker_id == Speaker.id, TalkSpeaker.talk_id == Talk.id,
                          public_talk_condition())


@cache
def _tag_has_public_talk():
    return exists().where(talk_tags.c.tag_id == Tag.id, talk_tags.c.talk_id == Talk.id, public_talk_condition())


def public_speakers() -> Select:
    return select(Speaker).where(_speaker_has_public_talk())


def public_tags() -> Select:
    return select(Tag).where(_tag_has_public_talk())


def is_public_talk(talk: Talk) -> bool:
    return talk.is_published and talk.event.is_published


def public_paths() -> Select:
    """Published curated paths; each shows only its public talks (public_talk_condition)."""
    return select(CuratedPath).where(CuratedPath.status == Status.PUBLISHED)
