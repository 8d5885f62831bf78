"""Reading related talks: the stored list, filtered by visibility again, cheaply, at every read."""
from sqlalchemy import case, func, or_, select

from webapp.core.talk_cards import TalkCard, talk_cards
from webapp.extensions import db
from webapp.models import RelatedTalk, Talk, TalkSpeaker, talk_tags
from webapp.related.ranking import RELATED_LIMIT
from webapp.search.queries import similar_talk_ids

SIMILAR_NEIGHBOURS = 10


def related_talks(talk: Talk) -> list[TalkCard]:
    """The cards of the stored related talks of `talk` that are public now, in rank order."""
    ranked = select(RelatedTalk.related_talk_id).where(RelatedTalk.talk_id == talk.id).order_by(RelatedTalk.rank)
    return talk_cards(list(db.session.scalars(ranked)))


def stored_related(talk_id: int) -> list[tuple[int, str]]:
    """(related talk id, reason) as stored, in rank order, visibility aside."""
    query = select(RelatedTalk.related_talk_id, RelatedTalk.reason).where(RelatedTalk.talk_id == talk_id)
    return [tuple(row) for row in db.session.execute(query.order_by(RelatedTalk.rank))]


def neighbourhood(talk_ids: set[int]) -> set[int]:
    """These talks and every talk whose list they may enter or leave: listing them, same series,
    shared speakers or tags, nearest text, and the talks of their events whose list has room for
    the event's talks (not full, or holding some already)."""
    if not talk_ids:
        return set()
    found = set(talk_ids)
    found |= set(db.session.scalars(select(RelatedTalk.talk_id).where(RelatedTalk.related_talk_id.in_(talk_ids))))
    series = select(Talk.series_id).where(Talk.id.in_(talk_ids), Talk.series_id.is_not(None))
    speakers = select(TalkSpeaker.speaker_id).where(TalkSpeaker.talk_id.in_(talk_ids))
    tags = select(talk_tags.c.tag_id).where(talk_tags.c.talk_id.in_(talk_ids))
    found |= set(db.session.scalars(select(Talk.id).where(or_(
        Talk.series_id.in_(series),
        Talk.id.in_(select(TalkSpeaker.talk_id).where(TalkSpeaker.speaker_id.in_(speakers))),
        Talk.id.in_(select(talk_tags.c.talk_id).where(talk_tags.c.tag_id.in_(tags)))))))
    found |= _event_talks_with_room(talk_ids)
    for talk_id in talk_ids:
        found.update(similar_talk_ids(talk_id, SIMILAR_NEIGHBOURS))
    return found


def _event_talks_with_room(talk_ids: set[int]) -> set[int]:
    events = select(Talk.event_id).where(Talk.id.in_(talk_ids))
    full = (select(RelatedTalk.talk_id).group_by(RelatedTalk.talk_id)
            .having(func.count() >= RELATED_LIMIT, func.sum(case((RelatedTalk.reason == "event", 1), else_=0)) == 0))
    return set(db.session.scalars(select(Talk.id).where(Talk.event_id.in_(events), Talk.id.not_in(full))))
