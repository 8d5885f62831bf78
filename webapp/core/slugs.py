"""Unique slugs and stable permalinks: a changed slug leaves a 301 behind."""
from sqlalchemy import select

from webapp.core.naming import make_slug
from webapp.extensions import db
from webapp.models import Event, SlugRedirect, Speaker, Talk

MODELS_BY_KIND = {"event": Event, "talk": Talk, "speaker": Speaker}


def kind_of(obj) -> str:
    return {Event: "event", Talk: "talk", Speaker: "speaker"}[type(obj)]


def _is_taken(kind: str, slug: str, own_id: int | None) -> bool:
    model = MODELS_BY_KIND[kind]
    holder = db.session.scalar(select(model.id).where(model.slug == slug))
    if holder is not None and holder != own_id:
        return True
    redirect = db.session.scalar(
        select(SlugRedirect.target_id).where(
            SlugRedirect.kind == kind, SlugRedirect.old_slug == slug
        )
    )
    return redirect is not None and redirect != own_id


def unique_slug(kind: str, text: str, own_id: int | None = None) -> str:
    """A slug for `text` not used by another row of that kind, nor by its old slugs."""
    base = make_slug(text)
    candidate, n = base, 2
    while _is_taken(kind, candidate, own_id):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def change_slug(obj, new_text: str) -> str:
    """Give obj a new unique slug; its old one answers 301 from now on."""
    kind = kind_of(obj)
    new_slug = unique_slug(kind, new_text, obj.id)
    if new_slug == obj.slug:
        return new_slug
    db.session.execute(  # the new slug may itself have been an old one of obj
        SlugRedirect.__table__.delete().where(
            SlugRedirect.kind == kind, SlugRedirect.old_slug == new_slug
        )
    )
    db.session.add(SlugRedirect(kind=kind, old_slug=obj.slug, target_id=obj.id))
    obj.slug = new_slug
    db.session.flush()
    return new_slug


def resolve_redirect(kind: str, old_slug: str) -> str | None:
    """The current slug that an old slug points to, if any."""
    target_id = db.session.scalar(
        select(SlugRedirect.target_id).where(
            SlugRedirect.kind == kind, SlugRedirect.old_slug == old_slug
        )
    )
    if target_id is None:
        return None
    model = MODELS_BY_KIND[kind]
    return db.session.scalar(select(model.slug).where(model.id == target_id))
