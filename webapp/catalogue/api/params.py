"""The catalogue API's query strings, loaded with the schemas of schemas.py: a bad value is a 400
whose JSON says which parameter and what it takes ({"error": "Bad Request", "message": ...}, as
the search API answers). Parameters not in the schema are ignored; an empty one is absent."""
from dataclasses import dataclass, field
from datetime import datetime, timezone

from flask import abort, request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError

from webapp.catalogue.api.cursors import MAX_LIMIT, InvalidCursor, decode_cursor
from webapp.core.naming import normalize_tag
from webapp.core.params import single_arg


def _slug_message(name: str, example: str):
    return _l("“%(name)s” must be an identifier from the archive's addresses, made of lower-case letters, "
              "digits and hyphens, such as %(example)s.", name=name, example=example)


MESSAGES = {
    "limit": _l("“limit” must be a whole number from 1 to %(max)d.", max=MAX_LIMIT),
    "cursor": _l("This cursor was not given by this list: follow the list's “next” link, "
                 "or start again without a cursor."),
    "updated_since": _l("“updated_since” must be an ISO 8601 date and time, such as 2024-05-01T00:00:00Z "
                        "(write the + of a time zone as %(plus)s).", plus="%2B"),
    "event": _slug_message("event", "journee-2016"),
    "speaker": _slug_message("speaker", "marie-curie"),
    "tag": _l("“tag” must contain letters or digits, such as mednumsavoirs."),
    "language": _l("“language” must be a language code of two or three lower-case letters, such as fr or en."),
}


@dataclass(frozen=True)
class ListArgs:
    limit: int
    after_id: int  # 0: the first page
    filters: dict = field(default_factory=dict)  # name -> loaded value, only those given
    given: dict = field(default_factory=dict)  # name -> the text given, for the Link headers


def _refuse(name: str):
    abort(400, description=str(MESSAGES[name]))


def _given(schema: Schema) -> dict[str, str]:
    """The schema's parameters present and not empty (a repeated one is a 400)."""
    values = {name: single_arg(name) for name in schema.fields if name in request.args}
    return {name: value for name, value in values.items() if value}


def _utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        _refuse("updated_since")


def _finish(name: str, value):
    if name == "updated_since":
        return _utc(value)
    if name == "tag":
        return normalize_tag(value) or _refuse("tag")
    return value


def list_args(schema_class: type[Schema], kind: str) -> ListArgs:
    """The limit, the cursor's position and the filters of a list request, or a 400."""
    schema = schema_class()
    given = _given(schema)
    try:
        loaded = schema.load(given)
    except ValidationError as error:
        _refuse(sorted(error.messages)[0])
    try:
        after_id = decode_cursor(kind, loaded["cursor"]) if "cursor" in loaded else 0
    except InvalidCursor:
        _refuse("cursor")
    filters = {name: _finish(name, value) for name, value in loaded.items() if name not in ("limit", "cursor")}
    return ListArgs(limit=loaded["limit"], after_id=after_id, filters=filters, given=given)
