"""Query-string parsing for every page: bad values are a 400 with a clear message; pagination."""
from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import Select

from webapp.extensions import db

# Pages past this are out of range for any realistic archive: 404 without touching the database.
MAX_PAGE_DIGITS = 6


def single_arg(name: str) -> str | None:
    """The value of a parameter given at most once; a repeated parameter is a 400."""
    values = request.args.getlist(name)
    if len(values) > 1:
        abort(400, description=_("The parameter “%(name)s” was given more than once.", name=name))
    return values[0].strip() if values else None


def page_arg() -> int:
    """?page=N, a whole number from 1; absent or empty means the first page."""
    raw = single_arg("page")
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        abort(400, description=_("The page number must be a whole number from 1, such as 2."))
    if len(raw.lstrip("0")) > MAX_PAGE_DIGITS:
        abort(404, description=_("There is no such page in this list."))
    return int(raw)


def ensure_page_in_range(pagination) -> None:
    """Pages after the last one are a 404; the first page of an empty list is fine."""
    if pagination.page > max(pagination.pages, 1):
        abort(404, description=_("There is no such page in this list."))


def paginate(query: Select, page: int, per_page: int, total: int | None = None):
    """One page of rows; the caller checks `page` against `.pages` (out of range -> 404).

    `total`, when the caller knows it (a count kept as summary data), saves counting the rows."""
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=total is None)
    if total is not None:
        pagination.total = total
    return pagination
