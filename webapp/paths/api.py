"""GET /api/v1/paths and /api/v1/paths/<slug>: the published curated paths, each with its public
talks in order (drafts never appear), described by the marshmallow schemas below (OpenAPI)."""
from flask import url_for
from marshmallow import Schema, fields

from webapp.core.blueprints import api_bp as bp
from webapp.core.json_api import conditional_json, documented, error_response, json_content
from webapp.paths import queries

TAG = "paths"


def _uri(**metadata):
    return fields.String(required=True, metadata={"format": "uri", **metadata})


class PathTalkSchema(Schema):
    position = fields.Integer(required=True, metadata={"description": "1 for the first talk to read."})
    slug = fields.String(required=True)
    title = fields.String(required=True)
    note = fields.String(required=True, allow_none=True, metadata={"description": "The organisers' note, plain text."})
    url = _uri(description="The talk's page.")
    api_url = _uri()


class PathSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    url = _uri(description="The path's page.")
    api_url = _uri()
    introduction = fields.String(required=True, allow_none=True, metadata={"description": "Sanitised HTML."})
    talk_count = fields.Integer(required=True, metadata={"description": "Its public talks."})
    published_at = fields.DateTime(required=True, allow_none=True)
    updated_at = fields.DateTime(required=True)


class PathDetailSchema(PathSchema):
    talks = fields.List(fields.Nested(PathTalkSchema), required=True)


class PathListSchema(Schema):
    items = fields.List(fields.Nested(PathSchema), required=True)


def _talk(position: int, item) -> dict:
    return {"position": position, "slug": item.talk.slug, "title": item.talk.title, "note": item.note,
            "url": url_for("public.talk", slug=item.talk.slug, _external=True),
            "api_url": url_for("api.talk", slug=item.talk.slug, _external=True)}


def _values(path, items) -> dict:
    return {"slug": path.slug, "title": path.title, "introduction": path.introduction, "talk_count": len(items),
            "url": url_for("paths.path", slug=path.slug, _external=True),
            "api_url": url_for("api.path", slug=path.slug, _external=True),
            "published_at": path.published_at, "updated_at": path.updated_at}


OK_HEADERS = {"ETag": {"description": "A hash of the body: send it back in If-None-Match to get a 304.",
                       "schema": {"type": "string"}}}
NOT_MODIFIED = {"description": "Not modified: the ETag sent in If-None-Match is current.", "headers": OK_HEADERS}


@bp.get("/paths")
@documented(tags=[TAG], summary="Published curated paths", description="Newest first; no filter, no paging.",
            responses={"200": {"description": "Every published path.", "content": json_content(PathListSchema),
                               "headers": OK_HEADERS}, "304": NOT_MODIFIED})
def paths():
    found = [_values(path, queries.public_items(path)) for path in queries.published_paths()]
    return conditional_json(PathListSchema().dump({"items": found}))


@bp.get("/paths/<slug>")
@documented(tags=[TAG], summary="One published curated path, with its public talks in order",
            responses={"200": {"description": "The path.", "content": json_content(PathDetailSchema),
                               "headers": OK_HEADERS}, "304": NOT_MODIFIED,
                       "400": error_response("The address holds control characters or bytes that are not UTF-8."),
                       "404": error_response("No published path has this slug (drafts are never shown).")})
def path(slug: str):
    found = queries.public_path_or_404(slug)
    items = queries.public_items(found)
    values = {**_values(found, items), "talks": [_talk(n, item) for n, item in enumerate(items, start=1)]}
    return conditional_json(PathDetailSchema().dump(values))
