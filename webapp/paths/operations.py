"""Changing curated paths: create, edit, add a talk, move it, note it, remove it, publish, delete.
Each flushes, never commits, and writes its audit entry."""
from sqlalchemy import select

from webapp.core.audit import record_audit, record_change, snapshot
from webapp.core.naming import make_slug
from webapp.core.rich_text import set_rich_text
from webapp.extensions import db
from webapp.models import CuratedPath, CuratedPathItem, Status, Talk, User
from webapp.models._base import utcnow

AUDITED = ("title", "slug", "introduction")
NOTE_LENGTH = 2000


class PathError(ValueError):
    """A change the path cannot take (a talk already in it, a slug taken): the message says why."""


def _unique_slug(text: str, own_id: int | None = None) -> str:
    base, n = make_slug(text) or "parcours", 2
    candidate = base
    while (holder := db.session.scalar(select(CuratedPath.id).where(CuratedPath.slug == candidate))) is not None \
            and holder != own_id:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def create_path(user: User, title: str, introduction: str | None = None) -> CuratedPath:
    path = CuratedPath(title=title, slug=_unique_slug(title), status=Status.DRAFT)
    set_rich_text(path, "introduction", introduction)
    db.session.add(path)
    db.session.flush()
    record_audit(user, "create", path, {"title": [None, title]})
    return path


def update_path(user: User, path: CuratedPath, title: str, slug: str | None, introduction: str | None) -> None:
    before = snapshot(path, AUDITED)
    path.title = title
    if slug and make_slug(slug) != path.slug:
        path.slug = _unique_slug(slug, path.id)
    set_rich_text(path, "introduction", introduction)
    db.session.flush()
    record_change(user, "update", path, before, snapshot(path, AUDITED))


def _talk_titles(path: CuratedPath) -> str:
    return ", ".join(item.talk.title for item in path.items)


def add_talk(user: User, path: CuratedPath, talk: Talk, note: str | None = None) -> CuratedPathItem:
    if any(item.talk_id == talk.id for item in path.items):
        raise PathError(talk.title)
    before = _talk_titles(path)
    item = CuratedPathItem(talk=talk, note=(note or "").strip()[:NOTE_LENGTH] or None,
                           position=max((i.position for i in path.items), default=-1) + 1)
    path.items.append(item)
    db.session.flush()
    record_audit(user, "update", path, {"talks": [before or None, _talk_titles(path)]})
    return item


def _renumber(path: CuratedPath) -> None:
    for position, item in enumerate(path.items):
        item.position = position


def move_item(user: User, item: CuratedPathItem, offset: int) -> bool:
    """Move a talk one place up (-1) or down (+1); False at either end."""
    path = item.path
    items = list(path.items)
    index = items.index(item)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(items):
        return False
    before = _talk_titles(path)
    items[index], items[target] = items[target], items[index]
    path.items[:] = items
    _renumber(path)
    db.session.flush()
    db.session.refresh(path, ["items"])
    record_audit(user, "reorder", path, {"talks": [before, _talk_titles(path)]})
    return True


def set_note(user: User, item: CuratedPathItem, note: str | None) -> None:
    before = item.note
    item.note = (note or "").strip()[:NOTE_LENGTH] or None
    db.session.flush()
    if item.note != before:
        record_audit(user, "update", item.path, {f"note: {item.talk.title}": [before, item.note]})


def remove_item(user: User, item: CuratedPathItem) -> None:
    path = item.path
    before = _talk_titles(path)
    path.items.remove(item)
    _renumber(path)
    db.session.flush()
    record_audit(user, "update", path, {"talks": [before, _talk_titles(path) or None]})


def publish_path(user: User, path: CuratedPath) -> None:
    if not path.is_published:
        path.status, path.published_at = Status.PUBLISHED, path.published_at or utcnow()
        db.session.flush()
        record_audit(user, "publish", path)


def unpublish_path(user: User, path: CuratedPath) -> None:
    if path.is_published:
        path.status = Status.DRAFT
        db.session.flush()
        record_audit(user, "unpublish", path)


def delete_path(user: User, path: CuratedPath) -> None:
    record_audit(user, "delete", path)
    db.session.delete(path)
    db.session.flush()
