"""Events in the workspace: create, edit, publish, unpublish, delete (the order of their
programme is in operations/programme.py).

`data` dicts come from the forms: plain values keyed by column name, Markdown for the rich
text fields (stored with their source: webapp/core/rich_text.py), "tags" as comma-separated text
and an optional "slug" the organiser typed.
Every change is audited. Functions flush, never commit.
"""
from webapp.catalogue.operations.tags import get_or_create_tags
from webapp.core.audit import record_audit, record_change, snapshot
from webapp.core.rich_text import set_rich_text
from webapp.core.slugs import change_slug, unique_slug
from webapp.core.writers import insert_or_take
from webapp.extensions import db
from webapp.models import Event, Status, User

EVENT_COLUMNS = ("title", "start_date", "end_date", "place", "host_organisation", "website_url")
EVENT_RICH_TEXT = ("description",)
EVENT_AUDITED = (*EVENT_COLUMNS, *EVENT_RICH_TEXT, "slug", "status", "show_view_counts")


def split_tags(text: str | None) -> list[str]:
    return [part for part in (text or "").split(",") if part.strip()]


def _audited(event: Event) -> dict:
    return snapshot(event, EVENT_AUDITED, tags=[tag.name for tag in event.tags])


def _apply(event: Event, data: dict) -> None:
    for name in EVENT_COLUMNS:
        setattr(event, name, data.get(name) or None)
    event.title = data["title"].strip()
    for name in EVENT_RICH_TEXT:
        set_rich_text(event, name, data.get(name))
    event.tags = get_or_create_tags(split_tags(data.get("tags")))
    event.show_view_counts = bool(data.get("show_view_counts"))


def create_event(user: User, data: dict) -> Event:
    event = insert_or_take(lambda: None, lambda: _event_from(data))
    record_change(user, "create", event, {}, _audited(event))
    return event


def _event_from(data: dict) -> Event:
    event = Event(status=Status.DRAFT)
    _apply(event, data)
    event.slug = unique_slug("event", data.get("slug") or event.title)
    db.session.add(event)
    return event


def update_event(user: User, event: Event, data: dict) -> Event:
    """Edit an event; the slug changes only when the organiser edited it (old URL answers 301)."""
    before = _audited(event)
    _apply(event, data)
    if data.get("slug") and data["slug"] != event.slug:
        change_slug(event, data["slug"])
    db.session.flush()
    record_change(user, "update", event, before, _audited(event))
    return event


def _set_status(user: User, event: Event, status: Status, action: str) -> Event:
    if event.status != status:
        before = _audited(event)
        event.status = status
        db.session.flush()
        record_change(user, action, event, before, _audited(event))
    return event


def publish_event(user: User, event: Event) -> Event:
    return _set_status(user, event, Status.PUBLISHED, "publish")


def unpublish_event(user: User, event: Event) -> Event:
    return _set_status(user, event, Status.DRAFT, "unpublish")


def delete_event(user: User, event: Event) -> None:
    """Delete an event and its talks through the ORM, so the search index forgets them."""
    talk_count = len(event.talks)
    record_audit(user, "delete", event, {"talks": [str(talk_count), None]})
    for talk in list(event.talks):
        db.session.delete(talk)
    db.session.delete(event)
    db.session.flush()
