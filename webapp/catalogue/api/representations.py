"""Rows as the catalogue API sends them: plain values, dumped through schemas.py.

Every `url` is the public page and every `api_url` its API answer, both absolute and built from
SITE_URL (webapp/core/site_url.py). The rows given are public (webapp/core/visibility.py): the
callers found them through the catalogue's public queries.
"""
from flask import url_for

from webapp.catalogue.api import schemas
from webapp.core.licences import find_licence
from webapp.models import Event, SlideDeck, Speaker, Tag, Talk
from webapp.sanitize import strip_tags


def _urls(page_endpoint: str, api_endpoint: str, **values) -> dict:
    return {"url": url_for(page_endpoint, **values, _external=True),
            "api_url": url_for(api_endpoint, **values, _external=True)}


def event_ref(event: Event) -> dict:
    return {"slug": event.slug, "title": event.title, **_urls("public.event", "api.event", slug=event.slug)}


def person_ref(speaker: Speaker) -> dict:
    return {"slug": speaker.slug, "name": speaker.name,
            **_urls("public.speaker", "api.speaker", slug=speaker.slug)}


def tag_ref(tag: Tag) -> dict:
    return {"name": tag.name, "label": tag.label, **_urls("public.tag", "api.tag", tag=tag.name)}


def licence(value: str | None) -> dict | None:
    found = find_licence(value)
    return {"spdx": found.code, "name": str(found.short_name), "url": found.url} if found else None


def slides(talk: Talk, deck: SlideDeck | None) -> dict | None:
    if deck is None:
        return None
    return {"download_url": url_for("slides.download", deck_id=deck.id, filename=deck.original_name, _external=True),
            "kind": str(deck.kind), "pages": deck.page_count, "licence": licence(deck.licence or talk.licence),
            "api_url": url_for("api.talk_slides", slug=talk.slug, _external=True)}


def talk(row: Talk, deck: SlideDeck | None) -> dict:
    return schemas.TalkSchema().dump({
        "slug": row.slug, "title": row.title, **_urls("public.talk", "api.talk", slug=row.slug),
        "summary": row.summary, "summary_text": strip_tags(row.summary), "language": row.language,
        "given_on": row.given_on or row.event.start_date, "starts_at": row.starts_at,
        "duration_minutes": row.duration_minutes, "event": event_ref(row.event),
        "speakers": [person_ref(speaker) for speaker in row.speakers], "tags": [tag_ref(tag) for tag in row.tags],
        "licence": licence(row.licence), "video_url": row.video_url, "slides": slides(row, deck),
        "updated_at": row.updated_at,
    })


def _event_values(row: Event) -> dict:
    return {
        "slug": row.slug, "title": row.title, **_urls("public.event", "api.event", slug=row.slug),
        "start_date": row.start_date, "end_date": row.end_date, "place": row.place,
        "host_organisation": row.host_organisation, "description": row.description,
        "website_url": row.website_url, "tags": [tag_ref(tag) for tag in row.tags],
        "talk_count": row.public_talk_count,
        "talks_api_url": url_for("api.talks", event=row.slug, _external=True),
        "updated_at": row.updated_at,
    }


def event(row: Event) -> dict:
    return schemas.EventSchema().dump(_event_values(row))


def event_detail(row: Event, talks: list[dict]) -> dict:
    """EventDetailSchema: the event, and its programme's talks as talk() gave them."""
    return {**event(row), "talks": talks}


def _speaker_values(row: Speaker) -> dict:
    return {
        "slug": row.slug, "name": row.name, **_urls("public.speaker", "api.speaker", slug=row.slug),
        "headline": row.headline, "organisation": row.organisation, "talk_count": row.public_talk_count,
        "talks_api_url": url_for("api.talks", speaker=row.slug, _external=True),
        "updated_at": row.updated_at,
    }


def speaker(row: Speaker) -> dict:
    return schemas.SpeakerSchema().dump(_speaker_values(row))


def speaker_detail(row: Speaker, links: list[tuple[str, str]]) -> dict:
    return schemas.SpeakerDetailSchema().dump({
        **_speaker_values(row), "bio": row.bio, "aliases": [alias.name for alias in row.confirmed_aliases],
        "links": [{"label": label, "url": url} for label, url in links],
    })


def tag(row: Tag) -> dict:
    return schemas.TagSchema().dump({
        **tag_ref(row), "talk_count": row.public_talk_count,
        "talks_api_url": url_for("api.talks", tag=row.name, _external=True),
    })
