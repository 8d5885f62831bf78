"""schema.org JSON-LD and page descriptions for the public detail pages.

Plain dicts: templates render them with the `tojson` filter, which escapes <, > and & so a
title can never close the <script> element.
"""
from flask import url_for
from sqlalchemy import Row

from webapp.catalogue.citation import talk_date
from webapp.catalogue.programme_rows import ProgrammeEntry
from webapp.catalogue.queries import web_links
from webapp.core.licences import licence_url
from webapp.models import Event, Speaker, Tag, Talk
from webapp.sanitize import strip_tags

SCHEMA = "https://schema.org"
DESCRIPTION_LENGTH = 200


def describe(html: str | None, fallback: str = "") -> str:
    """Plain text for meta descriptions, cut at a word boundary."""
    text = strip_tags(html) or fallback
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + "…"


def _compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _place(event: Event) -> dict | None:
    if not event.place:
        return None
    return {"@type": "Place", "name": event.place, "address": event.place}


def _organisation(name: str | None) -> dict | None:
    return {"@type": "Organization", "name": name} if name else None


def _person(speaker: Speaker | Row) -> dict:
    return {"@type": "Person", "name": speaker.name,
            "url": url_for("public.speaker", slug=speaker.slug, _external=True)}


def event_reference(event: Event) -> dict:
    return _compact({
        "@type": "Event",
        "name": event.title,
        "url": url_for("public.event", slug=event.slug, _external=True),
        "startDate": event.start_date and event.start_date.isoformat(),
        "endDate": event.end_date and event.end_date.isoformat(),
        "location": _place(event),
    })


def event_jsonld(event: Event, programme: list[ProgrammeEntry]) -> dict:
    return _compact({
        "@context": SCHEMA,
        **event_reference(event),
        "description": describe(event.description),
        "organizer": _organisation(event.host_organisation),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "keywords": [tag.label for tag in event.tags],
        "sameAs": event.website_url,
        "performer": _unique_people(programme),
    })


def _unique_people(talks: list[ProgrammeEntry]) -> list[dict]:
    seen: dict[int, dict] = {}
    for talk in talks:
        for speaker in talk.speakers:
            seen.setdefault(speaker.id, _person(speaker))
    return list(seen.values())


def talk_jsonld(talk: Talk) -> dict:
    day = talk_date(talk)
    return _compact({
        "@context": SCHEMA,
        "@type": "PresentationDigitalDocument",
        "name": talk.title,
        "url": url_for("public.talk", slug=talk.slug, _external=True),
        "description": describe(talk.summary),
        "author": [_person(speaker) for speaker in talk.speakers],
        "datePublished": day and day.isoformat(),
        "license": licence_url(talk.licence),
        "inLanguage": talk.language,
        "keywords": [tag.label for tag in talk.tags],
        "isPartOf": event_reference(talk.event),
        "video": talk.video_url and {"@type": "VideoObject", "name": talk.title,
                                     "contentUrl": talk.video_url},
    })


def speaker_jsonld(speaker: Speaker) -> dict:
    return _compact({
        "@context": SCHEMA,
        **_person(speaker),
        "jobTitle": speaker.headline,
        "affiliation": _organisation(speaker.organisation),
        "description": describe(speaker.bio),
        "alternateName": [alias.name for alias in speaker.confirmed_aliases],
        "sameAs": [url for _, url in web_links(speaker.links)],
    })


def tag_jsonld(tag: Tag, talks: list[Talk]) -> dict:
    url = url_for("public.tag", tag=tag.name, _external=True)
    items = [{"@type": "ListItem", "position": i, "name": talk.title,
              "url": url_for("public.talk", slug=talk.slug, _external=True)}
             for i, talk in enumerate(talks, start=1)]
    return {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": tag.label,
        "url": url,
        "about": {"@type": "DefinedTerm", "name": tag.label, "url": url},
        "mainEntity": {"@type": "ItemList", "itemListElement": items},
    }
