"""Keyset pagination for the catalogue API: opaque cursors, pages of `limit` rows, Link headers.

Every list is in the order of its rows' ids (the primary key, an index every database has), and
a page reads the rows after the last id of the previous one: `WHERE id > :after ORDER BY id
LIMIT :limit + 1`, never an OFFSET. A row added while a client walks the list has a larger id,
so it comes on a later page; a row removed never shifts the others: no row is seen twice or
skipped. The cursor is that last id with the list's name, in URL-safe base64: clients keep it
as it is, and the encoding may change.
"""
import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request, url_for

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class InvalidCursor(ValueError):
    """A cursor this API did not give for this list."""


def encode_cursor(kind: str, last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidCursor(cursor) from error
    found_kind, _, number = text.partition(":")
    if found_kind != kind or not (number.isascii() and number.isdigit()) or len(number) > 18:
        raise InvalidCursor(cursor)
    return int(number)


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def page_of(rows: list, kind: str, limit: int) -> Page:
    """The first `limit` of the `limit + 1` rows read, and the cursor after them if there are more."""
    if len(rows) <= limit:
        return Page(rows, None)
    return Page(rows[:limit], encode_cursor(kind, rows[limit - 1].id))


def list_url(args: dict[str, str], cursor: str | None = None) -> str:
    """This list's absolute address (from SITE_URL) with the request's known parameters, at another
    cursor. The query string is encoded here, never handed to url_for, where keys such as
    `_external` or `_anchor` would change the address."""
    query = {name: value for name, value in args.items() if name != "cursor"}
    if cursor is not None:
        query["cursor"] = cursor
    base = url_for(request.endpoint, **(request.view_args or {}), _external=True)
    return f"{base}?{urlencode(query)}" if query else base


def link_header(args: dict[str, str], page: Page) -> str:
    """RFC 8288: the first page always, the next one while there is one."""
    links = [f'<{list_url(args)}>; rel="first"']
    if page.next_cursor is not None:
        links.insert(0, f'<{list_url(args, page.next_cursor)}>; rel="next"')
    return ", ".join(links)
