"""Changes to several talks in one request: an event published with its ready draft talks, and the
talk list's bulk actions (publish, unpublish, add a tag).

Each talk's change is audited on its own, as when it is changed alone; the search outbox sees the
status and tag changes through the ORM. Functions flush, never commit.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.catalogue.operations.events import publish_event
from webapp.catalogue.operations.tags_admin import create_tag
from webapp.catalogue.operations.talks import publish_talk, unpublish_talk
from webapp.core.audit import record_change, snapshot
from webapp.extensions import db
from webapp.models import Event, Status, Tag, Talk, TalkSpeaker, User


def missing_for_publication(talk: Talk) -> list[str]:
    """What a talk lacks before it goes public with its event, one sentence each; empty: ready."""
    missing = []
    if not (talk.title or "").strip():
        missing.append(_l("It has no title."))
    if not talk.speaker_links:
        missing.append(_l("It has no speaker yet."))
    return missing


def draft_talks(event: Event) -> list[Talk]:
    """The event's draft talks in programme order, with their speakers."""
    return list(db.session.scalars(
        select(Talk).where(Talk.event_id == event.id, Talk.status == Status.DRAFT)
        .options(selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker))
        .order_by(Talk.position, Talk.id)))


def talks_with_ids(talk_ids) -> list[Talk]:
    """The talks that exist among these ids, with their tags (ids that match none are left out)."""
    return list(db.session.scalars(
        select(Talk).where(Talk.id.in_(set(talk_ids))).options(selectinload(Talk.tags))
        .order_by(Talk.id)))


def publish_event_with_talks(user: User, event: Event, talks: list[Talk]) -> int:
    """Publish the event and those of its draft talks that were chosen (each must be ready);
    returns how many talks were published."""
    for talk in talks:
        if talk.event_id != event.id or missing_for_publication(talk):
            raise ValueError(f"talk {talk.id} cannot be published with event {event.id}")
    publish_event(user, event)
    return publish_talks(user, talks)


def publish_talks(user: User, talks: list[Talk]) -> int:
    """Publish the drafts among the talks; returns how many there were."""
    drafts = [talk for talk in talks if not talk.is_published]
    for talk in drafts:
        publish_talk(user, talk)
    return len(drafts)


def unpublish_talks(user: User, talks: list[Talk]) -> int:
    """Make the published talks among them drafts again; returns how many there were."""
    published = [talk for talk in talks if talk.is_published]
    for talk in published:
        unpublish_talk(user, talk)
    return len(published)


def _tag_names(talk: Talk) -> dict:
    return snapshot(talk, (), tags=sorted(tag.name for tag in talk.tags))


def tag_talks(user: User, talks: list[Talk], raw_name: str) -> tuple[Tag, int]:
    """Add the tag (created when new) to the talks that lack it; returns it and how many got it.
    The name must give a tag once normalised (core/naming.py normalize_tag)."""
    tag = create_tag(user, raw_name)
    untagged = [talk for talk in talks if tag not in talk.tags]
    for talk in untagged:
        before = _tag_names(talk)
        talk.tags.append(tag)
        db.session.flush()
        record_change(user, "update", talk, before, _tag_names(talk))
    return tag, len(untagged)
