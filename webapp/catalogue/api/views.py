"""GET /api/v1/events, /talks, /speakers, /tags, and one of each by its slug (a tag by its name).

Lists are keyset pages (cursors.py) with Link headers; filters: talks by event, speaker, tag,
language and updated_since; events by tag and updated_since; speakers by event and
updated_since; tags by none. Every answer has an ETag and answers If-None-Match with a 304
(webapp/core/json_api.py).
"""
from webapp.catalogue import queries as catalogue
from webapp.catalogue.api import listing, representations, schemas
from webapp.catalogue.api.cursors import Page, link_header, list_url
from webapp.catalogue.api.operations_doc import detail_operation, list_operation
from webapp.catalogue.api.params import ListArgs, list_args
from webapp.core.blueprints import api_bp as bp
from webapp.core.json_api import conditional_json, documented


def _talks_as_json(talks: list) -> list[dict]:
    decks = listing.current_ready_decks([talk.id for talk in talks])
    return [representations.talk(talk, decks.get(talk.id)) for talk in talks]


def _page_answer(args: ListArgs, page: Page, items: list[dict]):
    next_url = list_url(args.given, page.next_cursor) if page.next_cursor else None
    return conditional_json({"items": items, "limit": args.limit, "next": next_url},
                            {"Link": link_header(args.given, page)})


@bp.get("/talks")
@documented(**list_operation(
    "Public talks", "Filters: event, speaker, tag, language, updated_since (all must match).",
    schemas.TalkArgs, schemas.TalkPageSchema))
def talks():
    args = list_args(schemas.TalkArgs, "talk")
    page = listing.talks_page(args)
    return _page_answer(args, page, _talks_as_json(page.rows))


@bp.get("/talks/<slug>")
@documented(**detail_operation("One public talk", schemas.TalkSchema))
def talk(slug: str):
    found = catalogue.public_or_moved("talk", slug, "api.talk")
    return conditional_json(_talks_as_json([found])[0])


@bp.get("/events")
@documented(**list_operation(
    "Public events", "Filters: tag (events with a public talk under it), updated_since.",
    schemas.EventArgs, schemas.EventPageSchema))
def events():
    args = list_args(schemas.EventArgs, "event")
    page = listing.events_page(args)
    return _page_answer(args, page, [representations.event(event) for event in page.rows])


@bp.get("/events/<slug>")
@documented(**detail_operation("One public event, with its public programme", schemas.EventDetailSchema))
def event(slug: str):
    found = catalogue.public_or_moved("event", slug, "api.event")
    programme = _talks_as_json(catalogue.event_programme(found))
    return conditional_json(representations.event_detail(found, programme))


@bp.get("/speakers")
@documented(**list_operation(
    "Speakers with at least one public talk", "Filters: event (speakers of its public talks), updated_since.",
    schemas.SpeakerArgs, schemas.SpeakerPageSchema))
def speakers():
    args = list_args(schemas.SpeakerArgs, "speaker")
    page = listing.speakers_page(args)
    return _page_answer(args, page, [representations.speaker(speaker) for speaker in page.rows])


@bp.get("/speakers/<slug>")
@documented(**detail_operation("One speaker with at least one public talk", schemas.SpeakerDetailSchema))
def speaker(slug: str):
    found = catalogue.public_or_moved("speaker", slug, "api.speaker")
    return conditional_json(representations.speaker_detail(found, catalogue.web_links(found.links)))


@bp.get("/tags")
@documented(**list_operation("Tags with at least one public talk", "No filter.",
                             schemas.PageArgs, schemas.TagPageSchema))
def tags():
    args = list_args(schemas.PageArgs, "tag")
    page = listing.tags_page(args)
    return _page_answer(args, page, [representations.tag(tag) for tag in page.rows])


@bp.get("/tags/<path:tag>")
@documented(**detail_operation("One tag with at least one public talk", schemas.TagSchema, key="name"))
def tag(tag: str):
    return conditional_json(representations.tag(catalogue.public_tag_or_moved(tag, "api.tag")))
