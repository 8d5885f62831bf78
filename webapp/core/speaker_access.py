"""Who may edit a speaker profile or upload slides for a talk.

Organisers and admins may edit every profile; a speaker account may edit the profiles it owns
(speaker_owners, set when an invitation is claimed) and upload slides for the talks of those
profiles. Nobody else may. Views answer 403 when these say no.
"""
from sqlalchemy import exists, select

from webapp.extensions import db
from webapp.models import Speaker, Talk, TalkSpeaker, User, speaker_owners


def _is_active_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def owns_speaker(user, speaker: Speaker) -> bool:
    """The account is one of the profile's owners (checked in the database, not a stale list)."""
    if not _is_active_user(user) or speaker.id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        speaker_owners.c.speaker_id == speaker.id, speaker_owners.c.user_id == user.id))))


def can_edit_speaker(user, speaker: Speaker) -> bool:
    """Organisers and admins, or an owner of that profile."""
    if not _is_active_user(user):
        return False
    return user.can_manage or owns_speaker(user, speaker)


def can_upload_for_talk(user, talk: Talk) -> bool:
    """Organisers and admins, or an owner of one of the talk's speakers."""
    if not _is_active_user(user):
        return False
    if user.can_manage:
        return True
    return bool(db.session.scalar(select(exists().where(
        TalkSpeaker.talk_id == talk.id, TalkSpeaker.speaker_id == speaker_owners.c.speaker_id,
        speaker_owners.c.user_id == user.id))))


def owned_speakers(user: User) -> list[Speaker]:
    """The profiles this account keeps, by name."""
    if not _is_active_user(user):
        return []
    return list(db.session.scalars(
        select(Speaker).join(speaker_owners, speaker_owners.c.speaker_id == Speaker.id)
        .where(speaker_owners.c.user_id == user.id).order_by(Speaker.sort_key, Speaker.id)))
