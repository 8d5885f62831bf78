"""Tags: one normalised name each."""
from sqlalchemy import select

from webapp.core.naming import normalize_tag
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
            existing[name] = Tag(name=name)
            db.session.add(existing[name])
    db.session.flush()
    return [existing[name] for name in names]
