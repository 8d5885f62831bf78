"""Tags in the workspace: rename, merge, delete. Old names answer 301 to the new ones.

An old name is kept as SlugRedirect(kind="tag", old_slug=<old name>, target_id=<tag id>).
Links are changed through the ORM so the search outbox reindexes the talks concerned.
"""
from sqlalchemy import delete, func, select, update

from webapp.catalogue.operations.tags import get_or_create_tags
from webapp.core.audit import record_audit
from webapp.core.naming import normalize_tag
from webapp.extensions import db
from webapp.models import Event, SlugRedirect, Tag, Talk, User, event_tags, talk_tags

TAG_KIND = "tag"


class TagNameTaken(ValueError):
    """Renaming to a name another tag has: merge instead."""

    def __init__(self, tag: Tag):
        super().__init__(tag.name)
        self.tag = tag


def tag_by_name(name: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.name == name))


def resolve_tag_redirect(old_name: str) -> str | None:
    """The current name of a renamed or merged tag."""
    target_id = db.session.scalar(select(SlugRedirect.target_id).where(
        SlugRedirect.kind == TAG_KIND, SlugRedirect.old_slug == old_name))
    return None if target_id is None else db.session.scalar(
        select(Tag.name).where(Tag.id == target_id))


def _leave_redirect(old_name: str, tag: Tag) -> None:
    db.session.execute(delete(SlugRedirect).where(
        SlugRedirect.kind == TAG_KIND, SlugRedirect.old_slug == tag.name))
    db.session.add(SlugRedirect(kind=TAG_KIND, old_slug=old_name, target_id=tag.id))


def _tagged(model, tag: Tag) -> list:
    return list(db.session.scalars(select(model).where(model.tags.any(Tag.id == tag.id))))


def create_tag(user: User, raw_name: str) -> Tag:
    """The tag with that name, created (and audited) when new."""
    existing = tag_by_name(normalize_tag(raw_name))
    if existing is not None:
        return existing
    tag = get_or_create_tags([raw_name])[0]
    record_audit(user, "create", tag, {"name": [None, tag.name]})
    return tag


def rename_tag(user: User, tag: Tag, raw_name: str) -> Tag:
    """Give a tag a new name; raises TagNameTaken when another tag has it."""
    new_name = normalize_tag(raw_name)
    if not new_name or new_name == tag.name:
        return tag
    holder = tag_by_name(new_name)
    if holder is not None:
        raise TagNameTaken(holder)
    old_name = tag.name
    tag.name = new_name
    _leave_redirect(old_name, tag)
    db.session.flush()  # the search outbox reindexes the tag's talks
    record_audit(user, "rename", tag, {"name": [old_name, new_name]})
    return tag


def _move_links(source: Tag, target: Tag) -> int:
    moved = 0
    for model in (Talk, Event):
        for item in _tagged(model, source):
            item.tags = [t for t in item.tags if t.id != source.id]
            if all(t.id != target.id for t in item.tags):
                item.tags.append(target)
            moved += model is Talk
    return moved


def merge_tag(user: User, source: Tag, target: Tag) -> Tag:
    """Fold `source` into `target`: its talks and events move over, its name answers 301."""
    if source.id == target.id:
        return target
    moved = _move_links(source, target)
    db.session.execute(update(SlugRedirect).where(
        SlugRedirect.kind == TAG_KIND, SlugRedirect.target_id == source.id).values(
        target_id=target.id))
    db.session.add(SlugRedirect(kind=TAG_KIND, old_slug=source.name, target_id=target.id))
    record_audit(user, "merge", source, {"merged into": [source.name, target.name],
                                         "talks": [None, str(moved)]})
    db.session.delete(source)
    db.session.flush()
    return target


def delete_tag(user: User, tag: Tag) -> None:
    """Remove a tag from every talk and event, then delete it and its old names."""
    for model in (Talk, Event):
        for item in _tagged(model, tag):
            item.tags = [t for t in item.tags if t.id != tag.id]
    db.session.execute(delete(SlugRedirect).where(
        SlugRedirect.kind == TAG_KIND, SlugRedirect.target_id == tag.id))
    record_audit(user, "delete", tag)
    db.session.delete(tag)
    db.session.flush()


def tag_usage(tag_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(number of talks, number of events) for each tag, all statuses."""
    def counts(table) -> dict[int, int]:
        query = (select(table.c.tag_id, func.count()).where(table.c.tag_id.in_(tag_ids))
                 .group_by(table.c.tag_id))
        return dict(db.session.execute(query).all())

    talks, events = counts(talk_tags), counts(event_tags)
    return {tag_id: (talks.get(tag_id, 0), events.get(tag_id, 0)) for tag_id in tag_ids}
