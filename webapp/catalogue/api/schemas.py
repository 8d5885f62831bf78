"""The catalogue API's representations and query parameters, as marshmallow schemas.

The answers are dumped through these schemas (representations.py builds the values), and the
OpenAPI document is generated from them (webapp/openapi/): one description of what is sent.
The parameter schemas are those params.py loads the query string with.
"""
from datetime import timezone

from marshmallow import EXCLUDE, Schema, fields, validate

from webapp.catalogue.api.cursors import DEFAULT_LIMIT, MAX_LIMIT

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,198}[a-z0-9])?$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"


def _uri(**metadata):
    return fields.String(required=True, metadata={"format": "uri", **metadata})


def _optional(field_class, **options):
    """A key that is always present, null when the archive does not know the value."""
    return field_class(required=True, allow_none=True, **options)


class EventRefSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    url = _uri(description="The event's page.")
    api_url = _uri()


class PersonRefSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    url = _uri(description="The speaker's page.")
    api_url = _uri()


class TagRefSchema(Schema):
    name = fields.String(required=True, metadata={"description": "Normalised: lower case, no #."})
    label = fields.String(required=True, metadata={"description": "As shown: #name."})
    url = _uri(description="The tag's page.")
    api_url = _uri()


class LicenceSchema(Schema):
    spdx = fields.String(required=True, metadata={"description": "SPDX identifier, such as CC-BY-4.0."})
    name = fields.String(required=True)
    url = _optional(fields.String, metadata={"format": "uri", "description": "The licence's deed."})


class SlidesSchema(Schema):
    download_url = _uri(description="The current deck's file, as uploaded (kind says which).")
    kind = fields.String(required=True, metadata={"enum": ["pdf", "pptx", "odp", "key"]})
    pages = _optional(fields.Integer)
    licence = _optional(fields.Nested, nested=LicenceSchema)
    api_url = _uri(description="Its versions and status (GET /api/v1/talks/{slug}/slides).")


class TalkSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    url = _uri(description="The talk's page.")
    api_url = _uri()
    summary = _optional(fields.String, metadata={"description": "Sanitised HTML, as the page shows it."})
    summary_text = fields.String(required=True, metadata={"description": "The summary as plain text."})
    language = _optional(fields.String, metadata={"description": "ISO 639-1 code."})
    given_on = _optional(fields.Date, metadata={"description": "The day it was given (else the event's)."})
    starts_at = _optional(fields.DateTime)
    duration_minutes = _optional(fields.Integer)
    event = fields.Nested(EventRefSchema, required=True)
    speakers = fields.List(fields.Nested(PersonRefSchema), required=True)
    tags = fields.List(fields.Nested(TagRefSchema), required=True)
    licence = _optional(fields.Nested, nested=LicenceSchema)
    video_url = _optional(fields.String, metadata={"format": "uri"})
    slides = _optional(fields.Nested, nested=SlidesSchema,
                       metadata={"description": "The current deck, once processed; null without one."})
    updated_at = fields.DateTime(required=True, metadata={"description": "Last change of the talk's own record."})


class EventSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    url = _uri(description="The event's page.")
    api_url = _uri()
    start_date = _optional(fields.Date)
    end_date = _optional(fields.Date)
    place = _optional(fields.String)
    host_organisation = _optional(fields.String)
    description = _optional(fields.String, metadata={"description": "Sanitised HTML."})
    website_url = _optional(fields.String)
    tags = fields.List(fields.Nested(TagRefSchema), required=True)
    talk_count = fields.Integer(required=True, metadata={"description": "Its public talks."})
    talks_api_url = _uri(description="Its public talks (GET /api/v1/talks?event=slug).")
    updated_at = fields.DateTime(required=True)


class EventDetailSchema(EventSchema):
    talks = fields.List(fields.Nested(TalkSchema), required=True,
                        metadata={"description": "The public programme, in order."})


class LinkSchema(Schema):
    label = fields.String(required=True)
    url = _uri()


class SpeakerSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    url = _uri(description="The speaker's page.")
    api_url = _uri()
    headline = _optional(fields.String)
    organisation = _optional(fields.String)
    talk_count = fields.Integer(required=True, metadata={"description": "Their public talks."})
    talks_api_url = _uri(description="Their public talks (GET /api/v1/talks?speaker=slug).")
    updated_at = fields.DateTime(required=True)


class SpeakerDetailSchema(SpeakerSchema):
    bio = _optional(fields.String, metadata={"description": "Sanitised HTML."})
    aliases = fields.List(fields.String(), required=True, metadata={"description": "Other spellings."})
    links = fields.List(fields.Nested(LinkSchema), required=True)


class TagSchema(TagRefSchema):
    talk_count = fields.Integer(required=True, metadata={"description": "Its public talks."})
    talks_api_url = _uri(description="Its public talks (GET /api/v1/talks?tag=name).")


def _page_of(item_schema, name: str) -> type[Schema]:
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "limit": fields.Integer(required=True),
        "next": _optional(fields.String, metadata={
            "format": "uri", "description": "The next page (as in the Link header); null on the last."}),
    }, name=name)


TalkPageSchema = _page_of(TalkSchema, "TalkPage")
EventPageSchema = _page_of(EventSchema, "EventPage")
SpeakerPageSchema = _page_of(SpeakerSchema, "SpeakerPage")
TagPageSchema = _page_of(TagSchema, "TagPage")


# Query parameters ---------------------------------------------------------------------------

def _slug_param(description: str):
    return fields.String(validate=validate.Regexp(SLUG_PATTERN),
                         metadata={"description": description, "pattern": SLUG_PATTERN})


def _tag_param(description: str):
    return fields.String(validate=validate.Length(1, 200), metadata={
        "description": description + " (with or without #; case does not matter)."})


class PageArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT), metadata={
        "description": f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})."})
    cursor = fields.String(metadata={
        "description": "Where the page starts: the opaque `cursor` of a `next` link. Absent: the first page."})


class UpdatedSinceArgs(PageArgs):
    updated_since = fields.AwareDateTime(default_timezone=timezone.utc, format="iso", metadata={
        "description": "Only what changed at or after this instant: ISO 8601, such as 2024-05-01T00:00:00Z "
                       "(UTC when no offset is given; write + as %2B)."})


class TalkArgs(UpdatedSinceArgs):
    event = _slug_param("Only the talks of this event (its slug).")
    speaker = _slug_param("Only the talks of this speaker (their slug).")
    tag = _tag_param("Only the talks under this tag")
    language = fields.String(validate=validate.Regexp(LANGUAGE_PATTERN), metadata={
        "description": "Only the talks in this language (ISO 639-1, such as fr).", "pattern": LANGUAGE_PATTERN})


class EventArgs(UpdatedSinceArgs):
    tag = _tag_param("Only the events with a public talk under this tag")


class SpeakerArgs(UpdatedSinceArgs):
    event = _slug_param("Only the speakers of this event's public talks (its slug).")
