"""Speakers in the workspace: create, edit, delete; one person, one speaker.

`data` dicts come from the forms: "name", "headline", "organisation", "bio" (Markdown, stored
with its source: webapp/core/rich_text.py),
"links" as (label, url) pairs, "aliases" as a list of names and an optional "slug".
"""
from sqlalchemy import Select, select

from webapp.core.audit import record_audit, record_change, snapshot
from webapp.core.naming import clean_display_name, person_name_key, person_sort_key
from webapp.core.rich_text import set_rich_text
from webapp.core.slugs import change_slug, unique_slug
from webapp.core.visibility import public_speakers
from webapp.core.writers import insert_or_take
from webapp.extensions import db
from webapp.models import Speaker, SpeakerAlias, User

SPEAKER_AUDITED = ("name", "headline", "organisation", "bio", "slug")


class DuplicateSpeaker(ValueError):
    """Another speaker already has that name or alias."""

    def __init__(self, speaker: Speaker):
        super().__init__(speaker.name)
        self.speaker = speaker


def _holder_of(key: str, speakers: Select) -> Speaker | None:
    """Among `speakers`, the one whose confirmed name or confirmed alias has that key."""
    by_name = speakers.where(Speaker.name_key == key, Speaker.is_name_confirmed)
    found = db.session.scalar(by_name.limit(1))
    if found is not None:
        return found
    return db.session.scalar(speakers.join(SpeakerAlias).where(
        SpeakerAlias.name_key == key, SpeakerAlias.is_confirmed).limit(1))


def find_speaker_by_name(name: str) -> Speaker | None:
    """The speaker a programme or an import means by that name, spelling differences aside:
    only names and aliases an organiser (or an import) gave, or confirmed, are matched."""
    return _holder_of(person_name_key(name), select(Speaker))


def _new_speaker(name: str) -> Speaker:
    name = clean_display_name(name)
    speaker = Speaker(name=name, name_key=person_name_key(name), sort_key=person_sort_key(name),
                      slug=unique_slug("speaker", name), links=[])
    db.session.add(speaker)
    return speaker


def find_or_create_speaker(name: str) -> Speaker:
    """The speaker of that name, created when new, even while another writer creates them too."""
    return insert_or_take(lambda: find_speaker_by_name(name), lambda: _new_speaker(name))


def _audited(speaker: Speaker) -> dict:
    return snapshot(speaker, SPEAKER_AUDITED, aliases=[a.name for a in speaker.aliases],
                    links=[link.get("url") for link in speaker.links or []],
                    pending=speaker.pending_names)


def _ensure_name_free(name: str, own_id: int | None, by_speaker: bool) -> None:
    """Another speaker's confirmed name or alias is refused. A speaker editing their own profile
    is only told about public speakers: names typed there are pending, and unpublished speakers
    stay unseen."""
    speakers = public_speakers() if by_speaker else select(Speaker)
    holder = _holder_of(person_name_key(name), speakers)
    if holder is not None and holder.id != own_id:
        raise DuplicateSpeaker(holder)


def _confirmed_keys(speaker: Speaker) -> set[str]:
    keys = {alias.name_key for alias in speaker.aliases if alias.is_confirmed}
    if speaker.is_name_confirmed and speaker.name_key:
        keys.add(speaker.name_key)
    return keys


def _set_aliases(speaker: Speaker, names: list[str], by_speaker: bool, confirmed: set[str]) -> None:
    """An organiser's list replaces the confirmed aliases (pending ones stay, for the confirm
    button). A speaker's list replaces them all: spellings already confirmed stay so, new ones
    wait for an organiser."""
    wanted = {person_name_key(n): clean_display_name(n) for n in names if person_name_key(n)}
    wanted.pop(speaker.name_key, None)
    for key in wanted:
        _ensure_name_free(wanted[key], speaker.id, by_speaker)
    pending = [] if by_speaker else [alias for alias in speaker.aliases if not alias.is_confirmed
                                     and alias.name_key not in {*wanted, speaker.name_key}]
    speaker.aliases = pending + [
        SpeakerAlias(name=name, name_key=key, is_confirmed=not by_speaker or key in confirmed)
        for key, name in wanted.items()]


def _is_name_confirmed(speaker: Speaker, key: str, by_speaker: bool, confirmed: set[str]) -> bool:
    """A new name an organiser gives is confirmed; one the speaker gives is not, unless it is
    already one of their confirmed spellings; an unchanged name keeps its state."""
    if speaker.id is None or (not by_speaker and key != speaker.name_key):
        return True
    return key in confirmed


def _apply(speaker: Speaker, data: dict, by_speaker: bool = False) -> None:
    name = clean_display_name(data["name"])
    key = person_name_key(name)
    _ensure_name_free(name, speaker.id, by_speaker)
    confirmed = _confirmed_keys(speaker) if speaker.id is not None else set()
    aliases = list(data.get("aliases") or [])
    if by_speaker and key != speaker.name_key and speaker.name_key in confirmed:
        aliases.append(speaker.name)  # their confirmed name stays theirs, as an alias
    speaker.is_name_confirmed = _is_name_confirmed(speaker, key, by_speaker, confirmed)
    speaker.name, speaker.name_key, speaker.sort_key = name, key, person_sort_key(name)
    speaker.headline = data.get("headline") or None
    speaker.organisation = data.get("organisation") or None
    set_rich_text(speaker, "bio", data.get("bio"))
    speaker.links = [{"label": label, "url": url} for label, url in data.get("links") or []]
    _set_aliases(speaker, aliases, by_speaker, confirmed)


def confirm_names(user: User, speaker: Speaker) -> None:
    """An organiser confirms the pending name and spellings: programmes and imports match them
    from now on. DuplicateSpeaker when another speaker holds one of them already."""
    before = _audited(speaker)
    for name in speaker.pending_names:
        _ensure_name_free(name, speaker.id, by_speaker=False)
    speaker.is_name_confirmed = True
    for alias in speaker.aliases:
        alias.is_confirmed = True
    db.session.flush()
    record_change(user, "update", speaker, before, _audited(speaker))


def create_speaker(user: User, data: dict) -> Speaker:
    """A new speaker; raises DuplicateSpeaker when the name or an alias is taken (by another
    writer at the same moment too)."""
    speaker = insert_or_take(lambda: None, lambda: _speaker_from(data))
    record_change(user, "create", speaker, {}, _audited(speaker))
    return speaker


def _speaker_from(data: dict) -> Speaker:
    speaker = Speaker(slug=unique_slug("speaker", data.get("slug") or data["name"]))
    _apply(speaker, data)
    db.session.add(speaker)
    return speaker


def update_speaker(user: User, speaker: Speaker, data: dict, by_speaker: bool = False) -> Speaker:
    """An organiser's edit (names confirmed), or by_speaker: the speaker's own (names pending)."""
    before = _audited(speaker)
    _apply(speaker, data, by_speaker)
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
