"""The ranking of a talk's related talks: its series first, then shared speakers and tags, then text.

1. the other public talks of its series, nearest in the series first (then in series order);
2. public talks sharing its speakers or tags, weighted: a shared speaker counts SPEAKER_WEIGHT, a shared
   tag TAG_WEIGHT; the most shared first, then the newest;
3. the public talks whose text the search index finds nearest (more like this), best first;
4. when that leaves room, the other public talks of its event, nearest in the programme first: a
   talk that shares nothing with any other still leads to the rest of its day.
Up to RELATED_LIMIT in all, each talk once, at its best place.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.core.visibility import public_talk_condition
from webapp.extensions import db
from webapp.models import Talk, TalkSpeaker, talk_tags
from webapp.search.queries import similar_talk_ids

RELATED_LIMIT = 5
SPEAKER_WEIGHT = 3
TAG_WEIGHT = 1
TEXT_CANDIDATES = 15  # asked of the index: some may be drafts, or already listed


@dataclass(frozen=True)
class Ranked:
    talk_id: int
    reason: str  # one of RELATED_REASONS


def _public_ids(ids) -> set[int]:
    ids = set(ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Talk.id).where(Talk.id.in_(ids), public_talk_condition())))


def series_neighbours(talk: Talk) -> list[int]:
    if talk.series_id is None:
        return []
    rows = db.session.execute(select(Talk.id, Talk.series_position).where(
        Talk.series_id == talk.series_id, Talk.id != talk.id, public_talk_condition())).all()
    here = talk.series_position or 0
    return [row.id for row in sorted(rows, key=lambda r: (abs((r.series_position or 0) - here),
                                                          r.series_position or 0, r.id))]


def _weights(link_talk, link_key, keys, weight: int) -> dict[int, int]:
    if not keys:
        return {}
    query = select(link_talk, func.count()).where(link_key.in_(keys)).group_by(link_talk)
    return {talk_id: count * weight for talk_id, count in db.session.execute(query)}


def shared_neighbours(talk: Talk, limit: int) -> list[int]:
    speakers = [link.speaker_id for link in talk.speaker_links]
    tags = [tag.id for tag in talk.tags]
    scores = _weights(TalkSpeaker.talk_id, TalkSpeaker.speaker_id, speakers, SPEAKER_WEIGHT)
    for talk_id, score in _weights(talk_tags.c.talk_id, talk_tags.c.tag_id, tags, TAG_WEIGHT).items():
        scores[talk_id] = scores.get(talk_id, 0) + score
    scores.pop(talk.id, None)
    best = sorted(scores, key=lambda t: (-scores[t], -t))[:limit * 4]  # newest id first among equals
    public = _public_ids(best)
    return [t for t in best if t in public][:limit]


def text_neighbours(talk: Talk) -> list[int]:
    found = [t for t in similar_talk_ids(talk.id, TEXT_CANDIDATES) if t != talk.id]
    public = _public_ids(found)
    return [t for t in found if t in public]


def event_neighbours(talk: Talk, limit: int) -> list[int]:
    here = talk.position or 0
    query = (select(Talk.id).where(Talk.event_id == talk.event_id, Talk.id != talk.id, public_talk_condition())
             .order_by(func.abs(func.coalesce(Talk.position, 0) - here), Talk.position, Talk.id).limit(limit * 2))
    return list(db.session.scalars(query))


def rank_related(talk: Talk, limit: int = RELATED_LIMIT) -> list[Ranked]:
    """The related talks of a public talk, best first."""
    ranked, seen = [], {talk.id}
    sources = (("series", series_neighbours), ("shared", lambda t: shared_neighbours(t, limit)),
               ("text", text_neighbours), ("event", lambda t: event_neighbours(t, limit)))
    for reason, neighbours in sources:
        if len(ranked) >= limit:
            break
        for talk_id in neighbours(talk):
            if len(ranked) < limit and talk_id not in seen:
                seen.add(talk_id)
                ranked.append(Ranked(talk_id, reason))
    return ranked
