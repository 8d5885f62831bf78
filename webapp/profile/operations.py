"""A speaker's own profile: the fields the editor at /profile changes. Functions flush, never commit.

`data` comes from the profile form: "name", "headline", "organisation", "bio_source" (Markdown),
"links" as (kind, label, url) triples (kind from LINK_KINDS, label optional), "aliases" as a list
of names and "preferred_language" ("fr", "en" or ""). The bio is stored with its Markdown source
(webapp/core/rich_text.py) and rendered by webapp.sanitize.markdown_to_html, the very function the
live preview uses. Name and alias rules are those of the workspace
(webapp/catalogue/operations/speakers.py): DuplicateSpeaker when a public speaker has the name;
a name or spelling a speaker enters waits for an organiser before programmes are matched to it.
"""
from typing import BinaryIO
from urllib.parse import urlsplit

from webapp.catalogue.operations.speakers import update_speaker
from webapp.core.audit import record_change, snapshot
from webapp.extensions import db
from webapp.models import Speaker, User
from webapp.profile.photos import prepare_photo, set_speaker_photo
from webapp.sanitize import markdown_to_html

# kind -> label shown on the public page when the speaker gives none; "other" links without a
# label are labelled with their host name.
LINK_KINDS = {"website": "Website", "mastodon": "Mastodon", "bluesky": "Bluesky",
              "linkedin": "LinkedIn", "orcid": "ORCID", "other": None}
PROFILE_LANGUAGES = ("fr", "en")


def link_label(kind: str, label: str | None, url: str) -> str:
    """The text of a link on the public page: the label typed, else the kind's name, else the host."""
    return (label or "").strip() or LINK_KINDS.get(kind) or urlsplit(url).hostname or url


def link_kind(link: dict) -> str:
    """The editor's kind for a stored link: the one whose label it carries, else "other"."""
    label = str(link.get("label") or "").strip().lower()
    return next((kind for kind, name in LINK_KINDS.items() if name and name.lower() == label), "other")


def editable_link(link: dict) -> dict:
    """A stored link as a row of the editor: its kind, and its label unless the kind's name is it
    exactly, so that saving the row unchanged stores the same label."""
    kind = link_kind(link)
    label = str(link.get("label") or "").strip()
    return {"kind": kind, "label_text": "" if label == LINK_KINDS[kind] else label, "url": link.get("url")}


def render_bio(markdown_source: str | None) -> str:
    """The sanitised HTML of a bio, for the live preview: the function the saved bio is rendered with."""
    return markdown_to_html(markdown_source)


def _workspace_data(data: dict) -> dict:
    return {"name": data["name"], "headline": data.get("headline"), "organisation": data.get("organisation"),
            "bio": data.get("bio_source"), "aliases": data.get("aliases") or [],
            "links": [(link_label(kind, label, url), url) for kind, label, url in data.get("links") or []]}


def update_profile(user: User, speaker: Speaker, data: dict, photo_stream: BinaryIO | None = None,
                   remove_photo: bool = False) -> Speaker:
    """Apply the editor's fields and photo; every change audited.

    The photo is checked first (PhotoError), and a name taken by another speaker raises
    DuplicateSpeaker: the caller rolls back, so nothing is half-stored."""
    photo = prepare_photo(photo_stream) if photo_stream is not None else None
    before = snapshot(speaker, ("preferred_language",))
    update_speaker(user, speaker, _workspace_data(data), by_speaker=not user.can_manage)
    language = data.get("preferred_language")
    speaker.preferred_language = language if language in PROFILE_LANGUAGES else None
    db.session.flush()
    record_change(user, "update", speaker, before, snapshot(speaker, ("preferred_language",)))
    if photo is not None or remove_photo:
        set_speaker_photo(user, speaker, photo)
    return speaker
