"""Canonical addresses, shared by pages and feeds.

A URL names a public row; an old slug or another spelling of a tag answers 301 to the current
address (the query string kept); anything else is a 404. The helpers raise, so views read
`event = public_or_moved("event", slug, "public.event")`.
"""
from flask import abort, redirect, request, url_for

from webapp.catalogue import queries as catalogue
from webapp.catalogue.operations.tags_admin import resolve_tag_redirect
from webapp.core.naming import SLUG_COLUMN_LENGTH, normalize_tag
from webapp.core.slugs import resolve_redirect

FINDERS = {
    "event": catalogue.find_public_event,
    "talk": catalogue.find_public_talk,
    "speaker": catalogue.find_public_speaker,
}


def _moved(endpoint: str, **values):
    abort(redirect(url_for(endpoint, **values, **request.args.to_dict(flat=False)), 301))


def public_or_moved(kind: str, slug: str, endpoint: str):
    """The public row of that kind with that slug, or a 301 from an old slug, or a 404."""
    if not 0 < len(slug) <= SLUG_COLUMN_LENGTH:
        abort(404)
    found = FINDERS[kind](slug)
    if found is not None:
        return found
    target = resolve_redirect(kind, slug)
    if target is None or target == slug or FINDERS[kind](target) is None:
        abort(404)
    _moved(endpoint, slug=target)


def public_tag_or_moved(raw: str, endpoint: str):
    """The public tag spelt `raw`, or a 301 to its normalised spelling, or a 404."""
    name = normalize_tag(raw)
    if not name:
        abort(404)
    if name != raw:
        _moved(endpoint, tag=name)
    found = catalogue.find_public_tag(name)
    if found is None:
        _follow_renamed_tag(name, endpoint)
    return found


def _follow_renamed_tag(name: str, endpoint: str) -> None:
    """A renamed or merged tag's old name answers 301 to its current one; else a 404."""
    target = resolve_tag_redirect(name)
    if target is None or target == name or catalogue.find_public_tag(target) is None:
        abort(404)
    _moved(endpoint, tag=target)
