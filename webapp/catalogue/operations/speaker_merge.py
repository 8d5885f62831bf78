"""Merging two speaker records (duplicates from imports, a name change): the survivor keeps everything.

`merge_speakers(user, survivor, duplicate)` moves the duplicate's talk links, names (as aliases),
links, owners, invitations and page-view counts to the survivor, fills the survivor's empty fields
from the duplicate, points the duplicate's slug and old slugs at the survivor (301), records one
audit entry on each side and deletes the duplicate. It flushes and never commits: the caller's
commit makes all of it happen, a rollback none of it. The search outbox (ORM events) reindexes the
talks and the survivor and removes the duplicate's document.

`merge_preview` computes the same moves without making them, for the confirmation page.
"""
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update

from webapp.core.audit import record_audit
from webapp.core.naming import person_name_key
from webapp.extensions import db
from webapp.models import (
    DailyCount,
    Metric,
    SlugRedirect,
    Speaker,
    SpeakerAlias,
    SpeakerInvitation,
    Talk,
    TalkSpeaker,
    User,
)

SPEAKER_KIND = "speaker"
# Fields the survivor takes from the duplicate when its own is empty (bio and bio_source go together).
FILLED_FIELDS = ("headline", "organisation", "bio", "photo_key", "preferred_language")
CANDIDATES_LIMIT = 30


class SameSpeaker(ValueError):
    """A speaker cannot be merged into itself."""


@dataclass
class MergePreview:
    """What a merge will move to the survivor."""

    moved_talks: list[Talk]      # talks that will list the survivor instead of the duplicate
    shared_talks: list[Talk]     # talks that list both: one link kept, at the better position
    new_aliases: list[str]
    new_links: list[dict]
    new_owners: list[User]
    invitations: int
    filled_fields: list[str]
    redirected_slugs: list[str]  # addresses that will answer 301 to the survivor


def _link_key(url: str) -> tuple:
    parts = urlsplit((url or "").strip())
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query


def _new_links(survivor: Speaker, duplicate: Speaker) -> list[dict]:
    seen = {_link_key(link.get("url")) for link in survivor.links or []}
    added = []
    for link in duplicate.links or []:
        if _link_key(link.get("url")) not in seen:
            seen.add(_link_key(link.get("url")))
            added.append(dict(link))
    return added


def _new_aliases(survivor: Speaker, duplicate: Speaker) -> dict[str, str]:
    """name key -> spelling: the duplicate's name and aliases the survivor does not have yet."""
    taken = {survivor.name_key, *(alias.name_key for alias in survivor.aliases)}
    added: dict[str, str] = {}
    for name in (duplicate.name, *(alias.name for alias in duplicate.aliases)):
        key = person_name_key(name)
        if key and key not in taken and key not in added:
            added[key] = name
    return added


def _new_owners(survivor: Speaker, duplicate: Speaker) -> list[User]:
    owned = {user.id for user in survivor.owners}
    return [user for user in duplicate.owners if user.id not in owned]


def _filled_fields(survivor: Speaker, duplicate: Speaker) -> list[str]:
    return [name for name in FILLED_FIELDS if not getattr(survivor, name) and getattr(duplicate, name)]


def _old_slugs(duplicate: Speaker) -> list[str]:
    query = select(SlugRedirect.old_slug).where(SlugRedirect.kind == SPEAKER_KIND,
                                                SlugRedirect.target_id == duplicate.id)
    return [duplicate.slug, *sorted(db.session.scalars(query))]


def _invitations(duplicate: Speaker) -> list[SpeakerInvitation]:
    query = select(SpeakerInvitation).where(SpeakerInvitation.speaker_id == duplicate.id)
    return list(db.session.scalars(query))


def check_mergeable(survivor: Speaker, duplicate: Speaker) -> None:
    if survivor.id == duplicate.id:
        raise SameSpeaker(survivor.name)


def merge_preview(survivor: Speaker, duplicate: Speaker) -> MergePreview:
    check_mergeable(survivor, duplicate)
    survivor_talks = {link.talk_id for link in survivor.talk_links}
    talks = [link.talk for link in duplicate.talk_links]
    return MergePreview(
        moved_talks=[talk for talk in talks if talk.id not in survivor_talks],
        shared_talks=[talk for talk in talks if talk.id in survivor_talks],
        new_aliases=list(_new_aliases(survivor, duplicate).values()),
        new_links=_new_links(survivor, duplicate), new_owners=_new_owners(survivor, duplicate),
        invitations=len(_invitations(duplicate)), filled_fields=_filled_fields(survivor, duplicate),
        redirected_slugs=_old_slugs(duplicate))


# --- the merge ------------------------------------------------------------------------------------

def _move_talk_links(survivor: Speaker, duplicate: Speaker) -> None:
    """Each talk of the duplicate lists the survivor once, at the better of the two positions."""
    kept = {link.talk_id: link for link in survivor.talk_links}
    talks = [link.talk for link in duplicate.talk_links]
    for link in list(duplicate.talk_links):
        own = kept.get(link.talk_id)
        if own is None:
            survivor.talk_links.append(TalkSpeaker(talk_id=link.talk_id, position=link.position))
        else:
            own.position = min(own.position, link.position)
        duplicate.talk_links.remove(link)  # delete-orphan: the old link row goes
    db.session.flush()
    for talk in talks:
        db.session.expire(talk, ["speaker_links"])


def _move_profile(survivor: Speaker, duplicate: Speaker) -> None:
    for key, name in _new_aliases(survivor, duplicate).items():
        survivor.aliases.append(SpeakerAlias(name=name, name_key=key))
    survivor.links = [*(survivor.links or []), *_new_links(survivor, duplicate)]
    survivor.owners.extend(_new_owners(survivor, duplicate))
    for name in _filled_fields(survivor, duplicate):
        setattr(survivor, name, getattr(duplicate, name))
        if name == "bio":
            survivor.bio_source = duplicate.bio_source
    for invitation in _invitations(duplicate):
        invitation.speaker = survivor


def _move_view_counts(survivor: Speaker, duplicate: Speaker) -> None:
    """The duplicate's daily page views are added to the survivor's, day by day."""
    rows = db.session.scalars(select(DailyCount).where(
        DailyCount.metric == Metric.SPEAKER_VIEW,
        or_(DailyCount.object_id == duplicate.id, DailyCount.object_id == survivor.id)))
    survivor_days = {}
    for row in sorted(rows, key=lambda row: row.object_id != survivor.id):
        same_day = survivor_days.get((row.day, row.page))
        if row.object_id == survivor.id:
            survivor_days[(row.day, row.page)] = row
        elif same_day is not None:
            same_day.count += row.count
            db.session.delete(row)
        else:
            row.object_id = survivor.id


def _redirect_slugs(survivor: Speaker, duplicate: Speaker) -> None:
    db.session.execute(update(SlugRedirect).where(
        SlugRedirect.kind == SPEAKER_KIND, SlugRedirect.target_id == duplicate.id).values(
        target_id=survivor.id))
    db.session.add(SlugRedirect(kind=SPEAKER_KIND, old_slug=duplicate.slug, target_id=survivor.id))
    db.session.flush()


def _record(user: User | None, survivor: Speaker, duplicate: Speaker, talks: int) -> None:
    record_audit(user, "merge", survivor, {"merged from": [None, f"{duplicate.name} ({duplicate.slug})"],
                                           "talks": [None, str(talks)]})
    record_audit(user, "merge", duplicate, {"merged into": [duplicate.name,
                                                            f"{survivor.name} ({survivor.slug})"]})


def merge_speakers(user: User | None, survivor: Speaker, duplicate: Speaker) -> Speaker:
    """Fold `duplicate` into `survivor` (see the module docstring); raises SameSpeaker."""
    check_mergeable(survivor, duplicate)
    talks = len(duplicate.talk_links)
    _move_talk_links(survivor, duplicate)
    _move_profile(survivor, duplicate)
    _move_view_counts(survivor, duplicate)
    _redirect_slugs(survivor, duplicate)
    _record(user, survivor, duplicate, talks)
    db.session.delete(duplicate)
    db.session.flush()
    db.session.expire(survivor, ["talk_links"])
    return survivor


# --- choosing the survivor --------------------------------------------------------------------------

def merge_candidates(duplicate: Speaker, text: str = "") -> list[Speaker]:
    """Speakers the duplicate may be merged into: those matching `text` (name, alias or organisation),
    or without text those sharing a word of its name (likely the same person), by name."""
    words = [text] if text.strip() else person_name_key(duplicate.name).split()
    if not words:
        return []
    patterns = [f"%{word.replace('%', '').replace('_', '')}%" for word in words]
    matches = [column.ilike(pattern) for pattern in patterns
               for column in (Speaker.name, Speaker.name_key, Speaker.organisation)]
    matches += [Speaker.aliases.any(SpeakerAlias.name.ilike(pattern)) for pattern in patterns]
    query = select(Speaker).where(Speaker.id != duplicate.id, or_(*matches))
    return list(db.session.scalars(query.order_by(Speaker.sort_key, Speaker.id).limit(CANDIDATES_LIMIT)))
