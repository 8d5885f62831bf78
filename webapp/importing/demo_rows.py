"""Finding again, or creating, the rows the demo content writes itself (not the PyCon FR tree).

Each helper takes the values the demo states and returns the row with whether anything changed,
so that loading the demo twice changes nothing (updated_at stays where it was).
"""
from sqlalchemy import select

from webapp.catalogue.operations.tags import get_or_create_tags
from webapp.core.naming import person_name_key, person_sort_key
from webapp.core.rich_text import imported_html
from webapp.core.slugs import unique_slug
from webapp.extensions import db
from webapp.importing.operations import assign_changed, load_speakers_by_key, sync_speaker_links, sync_tags
from webapp.models import Event, Series, Speaker, Status, Talk


def sync_demo_event(import_key: str, fields: dict, html: dict, tag_names) -> tuple[Event, bool]:
    """The published event with this import key, holding these fields, rich text and tags."""
    event = db.session.scalar(select(Event).where(Event.import_key == import_key))
    created = event is None
    if created:
        event = Event(import_key=import_key, status=Status.PUBLISHED, slug=unique_slug("event", fields["title"]),
                      tags=[])
        db.session.add(event)
    changed = assign_changed(event, {**fields, **imported_html(event, **html)})
    changed = sync_tags(event, get_or_create_tags(tag_names)) or changed
    db.session.flush()
    return event, created or changed


def sync_demo_series(slug: str, fields: dict) -> tuple[Series, bool]:
    series = db.session.scalar(select(Series).where(Series.slug == slug))
    created = series is None
    if created:
        series = Series(slug=slug)
        db.session.add(series)
    return series, assign_changed(series, fields) or created


def sync_demo_speaker(name: str, fields: dict) -> tuple[Speaker, bool]:
    """The speaker of that name (found by its normalised form), holding these fields."""
    key = person_name_key(name)
    speaker = load_speakers_by_key().get(key)
    created = speaker is None
    if created:
        speaker = Speaker(name=name, name_key=key, links=[], sort_key=person_sort_key(name),
                          slug=unique_slug("speaker", name))
        db.session.add(speaker)
    return speaker, assign_changed(speaker, fields) or created


def sync_demo_talk(event: Event, import_key: str, fields: dict, html: dict, tag_names,
                   speakers: list[Speaker]) -> tuple[Talk, bool]:
    """The published talk of the event with this import key, holding these values and speakers."""
    talk = db.session.scalar(select(Talk).where(Talk.event_id == event.id, Talk.import_key == import_key))
    created = talk is None
    if created:
        talk = Talk(event=event, import_key=import_key, status=Status.PUBLISHED,
                    slug=unique_slug("talk", fields["title"]), tags=[])
        db.session.add(talk)
    changed = assign_changed(talk, {**fields, **imported_html(talk, **html)})
    changed = sync_tags(talk, get_or_create_tags(tag_names)) or changed
    if [link.speaker for link in talk.speaker_links] != speakers:
        db.session.flush()
        sync_speaker_links(talk, speakers)
        changed = True
    db.session.flush()
    return talk, created or changed
