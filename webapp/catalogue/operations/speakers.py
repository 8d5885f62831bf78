"""Speakers in the workspace: create, edit, delete; one person, one speaker.

`data` dicts come from the forms: "name", "headline", "organisation", "bio" (Markdown),
"links" as (label, url) pairs, "aliases" as a list of names and an optional "slug".
"""
from sqlalchemy import select

from webapp.core.audit import record_audit, record_change, snapshot
from webapp.core.naming import clean_display_name, person_name_key, person_sort_key
from webapp.core.slugs import change_slug, unique_slug
from webapp.extensions import db
from webapp.models import Speaker, SpeakerAlias, User
from webapp.sanitize import markdown_to_html

SPEAKER_AUDITED = ("name", "headline", "organisation", "bio", "slug")


class DuplicateSpeaker(ValueError):
    """Another speaker already has that name or alias."""

    def __init__(self, speaker: Speaker):
        super().__init__(speaker.name)
        self.speaker = speaker


def find_speaker_by_name(name: str) -> Speaker | None:
    """The speaker with that name or alias, spelling differences aside."""
    key = person_name_key(name)
    found = db.session.scalar(select(Speaker).where(Speaker.name_key == key).limit(1))
    if found is not None:
        return found
    return db.session.scalar(
        select(Speaker).join(SpeakerAlias).where(SpeakerAlias.name_key == key).limit(1))


def _new_speaker(name: str) -> Speaker:
    name = clean_display_name(name)
    speaker = Speaker(name=name, name_key=person_name_key(name), sort_key=person_sort_key(name),
                      slug=unique_slug("speaker", name), links=[])
    db.session.add(speaker)
    db.session.flush()
    return speaker


def find_or_create_speaker(name: str) -> Speaker:
    return find_speaker_by_name(name) or _new_speaker(name)


def _audited(speaker: Speaker) -> dict:
    return snapshot(speaker, SPEAKER_AUDITED, aliases=[a.name for a in speaker.aliases],
                    links=[link.get("url") for link in speaker.links or []])


def _ensure_name_free(name: str, own_id: int | None) -> None:
    holder = find_speaker_by_name(name)
    if holder is not None and holder.id != own_id:
        raise DuplicateSpeaker(holder)


def _set_aliases(speaker: Speaker, names: list[str]) -> None:
    wanted = {person_name_key(n): clean_display_name(n) for n in names if person_name_key(n)}
    wanted.pop(speaker.name_key, None)
    for key in wanted:
        _ensure_name_free(wanted[key], speaker.id)
    speaker.aliases = [SpeakerAlias(name=name, name_key=key) for key, name in wanted.items()]


def _apply(speaker: Speaker, data: dict) -> None:
    name = clean_display_name(data["name"])
    _ensure_name_free(name, speaker.id)
    speaker.name, speaker.name_key = name, person_name_key(name)
    speaker.sort_key = person_sort_key(name)
    speaker.headline = data.get("headline") or None
    speaker.organisation = data.get("organisation") or None
    speaker.bio = markdown_to_html(data.get("bio")) or None
    speaker.links = [{"label": label, "url": url} for label, url in data.get("links") or []]
    _set_aliases(speaker, data.get("aliases") or [])


def create_speaker(user: User, data: dict) -> Speaker:
    """A new speaker; raises DuplicateSpeaker when the name or an alias is taken."""
    speaker = Speaker(slug=unique_slug("speaker", data.get("slug") or data["name"]))
    _apply(speaker, data)
    db.session.add(speaker)
    db.session.flush()
    record_change(user, "create", speaker, {}, _audited(speaker))
    return speaker


def update_speaker(user: User, speaker: Speaker, data: dict) -> Speaker:
    before = _audited(speaker)
    _apply(speaker, data)
    if data.get("slug") and data["slug"] != speaker.slug:
        change_slug(speaker, data["slug"])
    db.session.flush()
    record_change(user, "update", speaker, before, _audited(speaker))
    return speaker


def delete_speaker(user: User, speaker: Speaker) -> None:
    """Delete a speaker; their talks stay, without them (links removed through the ORM)."""
    record_audit(user, "delete", speaker, {"talks": [str(len(speaker.talk_links)), None]})
    db.session.delete(speaker)
    db.session.flush()
