"""Reading curated paths: published ones and their public talks, a talk's paths with its neighbours
there, and the talks an organiser may add."""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from webapp.core.visibility import public_paths, public_talk_condition
from webapp.extensions import db
from webapp.models import CuratedPath, CuratedPathItem, Talk, TalkSpeaker

CANDIDATES = 20


@dataclass(frozen=True)
class PathPlace:
    """Where a talk stands in a published path: the talks before and after it there (public ones)."""

    path: CuratedPath
    position: int  # 1-based, among the public talks of the path
    total: int
    previous: Talk | None
    next: Talk | None


def published_paths() -> list[CuratedPath]:
    return list(db.session.scalars(public_paths().order_by(CuratedPath.published_at.desc(), CuratedPath.id.desc())))


def public_path_or_404(slug: str) -> CuratedPath:
    path = db.session.scalar(public_paths().where(CuratedPath.slug == slug))
    if path is None:
        abort(404)
    return path


def public_items(path: CuratedPath) -> list[CuratedPathItem]:
    """The path's items whose talk is public, in order (a draft talk is not listed)."""
    query = (select(CuratedPathItem).join(CuratedPathItem.talk)
             .where(CuratedPathItem.path_id == path.id, public_talk_condition())
             .options(joinedload(CuratedPathItem.talk).joinedload(Talk.event),
                      joinedload(CuratedPathItem.talk).selectinload(Talk.tags),
                      joinedload(CuratedPathItem.talk).selectinload(Talk.speaker_links)
                      .joinedload(TalkSpeaker.speaker))
             .order_by(CuratedPathItem.position, CuratedPathItem.id))
    return list(db.session.scalars(query).unique())


def places_of_talk(talk: Talk) -> list[PathPlace]:
    """The published paths holding this talk, with its previous and next public talk in each."""
    paths = db.session.scalars(public_paths().where(CuratedPath.items.any(CuratedPathItem.talk_id == talk.id))
                               .order_by(CuratedPath.title))
    places = []
    for path in paths:
        talks = [item.talk for item in public_items(path)]
        if talk in talks:
            index = talks.index(talk)
            places.append(PathPlace(path, index + 1, len(talks), talks[index - 1] if index else None,
                                    talks[index + 1] if index + 1 < len(talks) else None))
    return places


def managed_paths() -> list[CuratedPath]:
    return list(db.session.scalars(select(CuratedPath).options(selectinload(CuratedPath.items))
                                   .order_by(CuratedPath.title)))


def candidate_talks(path: CuratedPath, text: str) -> list[Talk]:
    """Talks whose title holds `text`, not in the path yet (drafts too: they show once public)."""
    if not text:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    taken = select(CuratedPathItem.talk_id).where(CuratedPathItem.path_id == path.id)
    query = (select(Talk).options(joinedload(Talk.event)).where(Talk.title.ilike(f"%{escaped}%"),
                                                               Talk.id.not_in(taken))
             .order_by(Talk.title).limit(CANDIDATES))
    return list(db.session.scalars(query))


def path_item_or_404(path: CuratedPath, item_id: int) -> CuratedPathItem:
    item = next((item for item in path.items if item.id == item_id), None)
    if item is None:
        abort(404)
    return item
