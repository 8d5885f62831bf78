"""Talks in the workspace: create, edit, publish, unpublish, delete, and their speakers.

`data` dicts come from the forms (see operations/events.py): column values, Markdown for the
rich text fields (stored with their source), "tags" as comma-separated text, "speakers" one name per line in order,
"series_title", "start_time" (local time of day) and an optional "slug".
"""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from webapp.catalogue.operations.events import split_tags
from webapp.catalogue.operations.programme import next_position
from webapp.catalogue.operations.speakers import find_or_create_speaker
from webapp.catalogue.operations.tags import get_or_create_tags
from webapp.core.audit import record_audit, record_change, snapshot
from webapp.core.naming import clean_display_name, make_slug
from webapp.core.rich_text import set_rich_text
from webapp.core.slugs import change_slug, unique_slug
from webapp.core.writers import insert_or_take
from webapp.extensions import db
from webapp.models import REPORT_SECTIONS, Event, Series, Status, Talk, TalkSpeaker, User

TALK_COLUMNS = ("title", "language", "given_on", "duration_minutes", "video_url",
                "licence", "series_position")
TALK_RICH_TEXT = ("summary", *REPORT_SECTIONS)
TALK_AUDITED = (*TALK_COLUMNS, *TALK_RICH_TEXT, "event_id", "slug", "status", "starts_at", "position")


def _audited(talk: Talk) -> dict:
    return snapshot(talk, TALK_AUDITED, tags=[t.name for t in talk.tags],
                    speakers=[s.name for s in talk.speakers],
                    series=talk.series.title if talk.series else None)


def local_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _starts_at(talk: Talk, start_time: time | None) -> datetime | None:
    """The exact start, from the talk's day (or its event's first day) and a local time."""
    day = talk.given_on or talk.event.start_date
    if start_time is None or day is None:
        return None
    local = datetime.combine(day, start_time, tzinfo=local_timezone())
    return local.astimezone(timezone.utc)


def find_or_create_series(title: str | None) -> Series | None:
    title = " ".join((title or "").split())
    if not title:
        return None
    return insert_or_take(lambda: db.session.scalar(select(Series).where(Series.title == title)),
                          lambda: _new_series(title))


def _new_series(title: str) -> Series:
    base, n = make_slug(title), 2
    slug = base
    while db.session.scalar(select(Series.id).where(Series.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    series = Series(slug=slug, title=title)
    db.session.add(series)
    return series


def _apply(talk: Talk, data: dict) -> None:
    for name in TALK_COLUMNS:
        setattr(talk, name, data.get(name) if data.get(name) not in ("", None) else None)
    talk.title = clean_display_name(data["title"])
    talk.event = db.session.get(Event, data["event_id"])
    for name in TALK_RICH_TEXT:
        set_rich_text(talk, name, data.get(name))
    talk.series = find_or_create_series(data.get("series_title"))
    talk.tags = get_or_create_tags(split_tags(data.get("tags")))
    talk.starts_at = _starts_at(talk, data.get("start_time"))


def split_names(text: str | None) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def set_talk_speakers(talk: Talk, names: list[str]) -> None:
    """Attach speakers in the given order (existing ones by name or alias, else new ones)."""
    speakers = list({s.id: s for s in (find_or_create_speaker(n) for n in names)}.values())
    wanted = {speaker.id: position for position, speaker in enumerate(speakers)}
    for link in list(talk.speaker_links):
        if link.speaker_id not in wanted:
            talk.speaker_links.remove(link)
    kept = {link.speaker_id: link for link in talk.speaker_links}
    for speaker in speakers:
        link = kept.get(speaker.id) or TalkSpeaker(speaker=speaker)
        link.position = wanted[speaker.id]
        if speaker.id not in kept:
            talk.speaker_links.append(link)
    db.session.flush()
    db.session.expire(talk, ["speaker_links"])


def _talk_from(data: dict) -> Talk:
    talk = Talk(status=Status.DRAFT, position=next_position(data["event_id"]),
                event=db.session.get(Event, data["event_id"]),
                slug=unique_slug("talk", data.get("slug") or data["title"]))
    db.session.add(talk)
    _apply(talk, data)
    return talk


def create_talk(user: User, data: dict) -> Talk:
    """A new draft talk; a slug another writer takes at the same moment gives it the next one."""
    talk = insert_or_take(lambda: None, lambda: _talk_from(data))
    set_talk_speakers(talk, split_names(data.get("speakers")))
    record_change(user, "create", talk, {}, _audited(talk))
    return talk


def update_talk(user: User, talk: Talk, data: dict) -> Talk:
    """Edit a talk; the slug changes only when the organiser edited it (old URL answers 301)."""
    before = _audited(talk)
    if data["event_id"] != talk.event_id:
        talk.position = next_position(data["event_id"])
    _apply(talk, data)
    if data.get("slug") and data["slug"] != talk.slug:
        change_slug(talk, data["slug"])
    set_talk_speakers(talk, split_names(data.get("speakers")))
    record_change(user, "update", talk, before, _audited(talk))
    return talk


def _set_status(user: User, talk: Talk, status: Status, action: str) -> Talk:
    if talk.status != status:
        before = _audited(talk)
        talk.status = status
        if status == Status.PUBLISHED and talk.published_at is None:
            talk.published_at = datetime.now(timezone.utc)
        db.session.flush()
        record_change(user, action, talk, before, _audited(talk))
    return talk


def publish_talk(user: User, talk: Talk) -> Talk:
    """Publish; published_at keeps the date of the first publication."""
    return _set_status(user, talk, Status.PUBLISHED, "publish")


def unpublish_talk(user: User, talk: Talk) -> Talk:
    return _set_status(user, talk, Status.DRAFT, "unpublish")


def delete_talk(user: User, talk: Talk) -> None:
    record_audit(user, "delete", talk, {"event": [talk.event.title[:120], None]})
    db.session.delete(talk)
    db.session.flush()
