"""Tags: one normalised name each."""
from sqlalchemy import select

from webapp.core.naming import normalize_tag
from webapp.core.writers import insert_or_take
from webapp.extensions import db
from webapp.models import Tag


def get_or_create_tags(raw_names) -> list[Tag]:
    """Tags for the given spellings, created when new; duplicates and blanks dropped."""
    names = list(dict.fromkeys(n for n in (normalize_tag(r) for r in raw_names) if n))
    if not names:
        return []
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name not in existing:
            existing[name] = get_or_create_tag(name)
    return [existing[name] for name in names]


def _tag_named(name: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.name == name))


def _new_tag(name: str) -> Tag:
    tag = Tag(name=name)
    db.session.add(tag)
    return tag


def get_or_create_tag(name: str) -> Tag:
    """The tag of that normalised name, created when new, whoever else creates it now."""
    return insert_or_take(lambda: _tag_named(name), lambda: _new_tag(name))
