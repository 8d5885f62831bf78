"""The OpenAPI operations of the routes whose views carry no description of their own: search and
suggest (webapp/search/api.py) and the slides of a talk (webapp/slides/api.py), by endpoint.

Written from those views' code and tests; tests/api/ validates their real answers against them.
"""
from marshmallow import Schema, fields, validate

from webapp.core.json_api import error_response, json_content

NULLABLE = {"required": True, "allow_none": True}


class EventBriefSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)


class SpeakerBriefSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class SearchResultSchema(Schema):
    type = fields.String(required=True, metadata={"enum": ["talk"]})
    slug = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True, metadata={"format": "uri"})
    event = fields.Nested(EventBriefSchema, required=True)
    date = fields.Date(**NULLABLE, metadata={"description": "The day the talk was given, else its event's."})
    speakers = fields.List(fields.Nested(SpeakerBriefSchema), required=True)
    highlight = fields.String(**NULLABLE, metadata={"description": "HTML: the matched words in <mark>."})
    slide_page = fields.Integer(**NULLABLE, metadata={"description": "The slide the text was found on."})
    transcript_second = fields.Integer(**NULLABLE, metadata={
        "description": "The moment of the talk (seconds) of the first transcript cue the text was found in."})
    transcript_url = fields.String(**NULLABLE, metadata={
        "format": "uri", "description": "The talk page at that cue of its transcript."})


class SearchSpeakerSchema(SpeakerBriefSchema):
    url = fields.String(required=True, metadata={"format": "uri"})


class SearchAnswerSchema(Schema):
    query = fields.String(required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    redirect = fields.String(**NULLABLE, metadata={"format": "uri",
                                                   "description": "An organisers' redirect for this query."})
    results = fields.List(fields.Nested(SearchResultSchema), required=True)
    speakers = fields.List(fields.Nested(SearchSpeakerSchema), required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                         required=True, metadata={"description": "Per facet, the most frequent values and counts."})
    facet_others = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    suggestion = fields.String(**NULLABLE, metadata={"description": "Did you mean..."})
    is_query_truncated = fields.Boolean(required=True)
    is_partial = fields.Boolean(required=True)
    match = fields.String(required=True, metadata={"enum": ["all", "most"]})


class SearchArgsSchema(Schema):
    q = fields.String(validate=validate.Length(max=300), metadata={"description": "The text searched for."})
    tag = fields.String(metadata={"description": "A tag, with or without #."})
    event = fields.String(metadata={"description": "An event's slug."})
    year = fields.Integer(validate=validate.Range(1000, 9999))
    speaker = fields.String(metadata={"description": "A speaker's slug."})
    lang = fields.String(metadata={"enum": ["fr", "en"]})
    has_slides = fields.String(metadata={"enum": ["true", "false", "1", "0", "yes", "no"]})
    has_transcript = fields.String(metadata={"enum": ["true", "false", "1", "0", "yes", "no"]})
    sort = fields.String(metadata={"enum": ["relevance", "date"]})
    page = fields.Integer(validate=validate.Range(1, 500))
    facet_limit = fields.Integer(validate=validate.Range(1, 100))


class SuggestionSchema(Schema):
    type = fields.String(required=True, metadata={"enum": ["talk", "speaker", "tag"]})
    label = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "The page's path on this site."})


class SuggestAnswerSchema(Schema):
    query = fields.String(required=True)
    suggestions = fields.List(fields.Nested(SuggestionSchema), required=True)


class SuggestArgsSchema(Schema):
    q = fields.String(metadata={"description": "What was typed so far (at most 300 characters are used)."})


class DeckSchema(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": ["processing", "ready", "failed"]})
    stage = fields.String(required=True, metadata={"enum": ["waiting", "converting", "ready", "failed"]})
    status_text = fields.String(required=True, metadata={"description": "The status for people."})
    pages = fields.Integer(**NULLABLE)
    pages_done = fields.Integer(required=True)
    error = fields.String(**NULLABLE)
    kind = fields.String(required=True, metadata={"enum": ["pdf", "pptx", "odp", "key"]})
    size = fields.Integer(required=True)
    licence = fields.String(**NULLABLE)
    is_current = fields.Boolean(required=True)
    download_url = fields.String(required=True, metadata={"format": "uri"})


class DecksSchema(Schema):
    decks = fields.List(fields.Nested(DeckSchema), required=True)


class UploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    licence = fields.String(metadata={"description": "One of the archive's licences, such as CC-BY-4.0."})


BAD_REQUEST = error_response("A parameter has a value the API cannot use: the message says which.")
NOT_FOUND = error_response("No public talk has this slug.")
UNUSABLE_ADDRESS = error_response("The address holds control characters or bytes that are not UTF-8.")
UPLOAD_REFUSALS = {str(status): error_response(text) for status, text in (
    (400, "No file field, or a bad licence."), (401, "No token, or a bad one."), (403, "Not an organiser."),
    (404, "No such talk."), (409, "Another upload of the same talk at the same time."), (413, "Too large."),
    (415, "Not a slide deck."), (422, "Empty, damaged, truncated, encrypted, a zip bomb, or too many pages."))}

OPERATIONS = {
    "api.search": {
        "tags": ["search"], "summary": "Search the talks (the same parameters as the /search page)",
        "parameters": [{"in": "query", "schema": SearchArgsSchema}],
        "responses": {"200": {"description": "One page of results.", "content": json_content(SearchAnswerSchema)},
                      "400": BAD_REQUEST,
                      "404": error_response("There is no such page of results.")},
    },
    "api.suggest": {
        "tags": ["search"], "summary": "Completions of what was typed: talks, speakers, tags",
        "parameters": [{"in": "query", "schema": SuggestArgsSchema}],
        "responses": {"200": {"description": "The completions.", "content": json_content(SuggestAnswerSchema)},
                      "400": BAD_REQUEST},
    },
    "api.talk_slides": {
        "tags": ["slides"], "summary": "A talk's slide decks and their processing status",
        "description": "The public see the current deck of a public talk; organisers and the talk's speakers "
                       "(session or token) every version, of drafts too.",
        "responses": {"200": {"description": "The decks.", "content": json_content(DecksSchema)},
                      "400": UNUSABLE_ADDRESS, "404": NOT_FOUND},
    },
    "api.upload_slides": {
        "tags": ["slides"], "summary": "Upload a slide deck as the talk's current version (organisers)",
        "security": [{"bearer": []}],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": UploadSchema}}},
        "responses": {
            "201": {"description": "A Keynote deck, stored as a download only.", "content": json_content(DeckSchema)},
            "202": {"description": "Accepted: processed in the background.", "content": json_content(DeckSchema)},
            **UPLOAD_REFUSALS,
        },
    },
}
