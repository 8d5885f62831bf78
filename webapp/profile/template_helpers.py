"""Photo URLs for every template (the public speaker page, the editor)."""
from flask import url_for

from webapp.core.blueprints import profile_bp as bp
from webapp.profile.photos import PHOTO_SIZES


@bp.app_template_global()
def speaker_photo_url(speaker, size: int = 256) -> str | None:
    """The URL of the speaker's photo square of that size (96, 256 or 512 px), or None."""
    if not speaker.photo_key or size not in PHOTO_SIZES:
        return None
    return url_for("profile.photo", key=speaker.photo_key, size=size)


@bp.app_template_global()
def can_edit_profile(speaker) -> bool:
    from flask_login import current_user

    from webapp.core.speaker_access import can_edit_speaker

    return can_edit_speaker(current_user, speaker)


@bp.app_template_global()
def owns_a_profile() -> bool:
    """Whether the current account keeps a speaker profile (for the "My profile" link)."""
    from flask_login import current_user

    from webapp.core.speaker_access import owned_speakers

    return bool(current_user.is_authenticated and owned_speakers(current_user))


@bp.app_template_global()
def speaker_invitations(speaker) -> list:
    from webapp.catalogue.operations.invitations import recent_invitations

    return recent_invitations(speaker)


@bp.app_template_global()
def invitation_state(invitation) -> str:
    """One of "claimed", "expired" or "waiting"."""
    from webapp.models._base import utcnow

    if invitation.used_at is not None:
        return "claimed"
    return "expired" if invitation.expires_at <= utcnow() else "waiting"
