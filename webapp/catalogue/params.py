"""Query-string parsing for the catalogue's pages (see webapp/core/params.py for the shared ones)."""
from flask import abort
from flask_babel import gettext as _

from webapp.catalogue.queries import INDEX_LETTERS, OTHER_LETTER
from webapp.core.params import single_arg


def letter_arg() -> str | None:
    """?letter=a for the speakers index (a to z, or # for names not starting with a letter)."""
    raw = single_arg("letter")
    if not raw:
        return None
    letter = raw.lower()
    if letter not in INDEX_LETTERS and letter != OTHER_LETTER:
        abort(400, description=_("The letter must be a single letter from A to Z, or #."))
    return letter
