"""Query-string parsing for the catalogue's pages (see webapp/core/params.py for the shared ones)."""
from flask import abort
from flask_babel import gettext as _

from webapp.catalogue.queries import INDEX_LETTERS, OTHER_LETTER, find_public_tag
from webapp.core.naming import normalize_tag
from webapp.core.params import single_arg
from webapp.models import Tag


def letter_arg() -> str | None:
    """?letter=a for the speakers index (a to z, or # for names not starting with a letter)."""
    raw = single_arg("letter")
    if not raw:
        return None
    letter = raw.lower()
    if letter not in INDEX_LETTERS and letter != OTHER_LETTER:
        abort(400, description=_("The letter must be a single letter from A to Z, or #."))
    return letter


def tag_arg() -> Tag | None:
    """?tag=name (with or without its #) for the events page: a public tag, else a 404."""
    raw = single_arg("tag")
    if not raw:
        return None
    found = find_public_tag(normalize_tag(raw) or "")
    if found is None:
        abort(404, description=_("No public talk is tagged %(tag)s.", tag=raw))
    return found
