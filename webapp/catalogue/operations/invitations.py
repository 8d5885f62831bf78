"""Invitations to claim a speaker profile: signed, valid INVITATION_MAX_AGE_DAYS, usable once.

The link carries the invitation id and a random nonce, signed with SECRET_KEY (itsdangerous, as
password reset links are); only the nonce's SHA-256 is stored. An invitation is bound to the
email it was sent to: it is claimed by creating an account with that email, or by an existing
account with that email (logged in). Another account is refused: it must log out, or ask the
organisers for an invitation to its own address. Functions flush, never commit.
"""
import hashlib
import hmac
import secrets
from datetime import date, timedelta

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from webapp.accounts.operations import AccountError, create_user, find_user, is_usable_email, normalise_email
from webapp.core.audit import record_audit
from webapp.core.mail import send_mail
from webapp.extensions import db
from webapp.models import Role, Speaker, SpeakerInvitation, Talk, User
from webapp.models._base import utcnow

SALT = "causeries.speaker-invitation"


class InvitationError(ValueError):
    """Why an invitation link cannot be used: reason is invalid, expired, used or wrong_account."""

    STATUS = {"invalid": 404, "expired": 410, "used": 410, "wrong_account": 403}

    def __init__(self, reason: str, invitation: SpeakerInvitation | None = None):
        super().__init__(reason)
        self.reason, self.invitation = reason, invitation

    @property
    def status(self) -> int:
        return self.STATUS[self.reason]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def hash_nonce(nonce: str) -> str:
    return hashlib.sha256(nonce.encode("utf-8")).hexdigest()


def checked_email(email: str) -> str:
    email = normalise_email(email or "")
    if not is_usable_email(email):
        raise AccountError(_("“%(email)s” is not an email address mail can reach: check it for a typo, "
                             "such as a missing @ or a space.", email=email[:100]))
    return email


def create_invitation(organiser: User | None, speaker: Speaker, email: str) -> str:
    """A new invitation for speaker, sent to email; returns its token (the only copy)."""
    nonce = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_MAX_AGE_DAYS"]
    invitation = SpeakerInvitation(speaker=speaker, email=checked_email(email), nonce_hash=hash_nonce(nonce),
                                   invited_by=organiser, expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    record_audit(organiser, "invite", speaker, {"invitation": [None, invitation.email]})
    return _serializer().dumps({"id": invitation.id, "nonce": nonce})


def invitation_link(token: str) -> str:
    """Built from SITE_URL, never from the request's Host header (link poisoning); also from the CLI."""
    if has_request_context():
        path = url_for("profile.claim", token=token)
    else:
        with current_app.test_request_context():
            path = url_for("profile.claim", token=token)
    return current_app.config["SITE_URL"].rstrip("/") + path


def mail_invitation(token: str) -> bool:
    """Mail the invitation's link, in the site's default language whatever the organiser's. Called
    once the invitation is committed (a mail never carries a link that a rollback voided); False
    when the mail server failed (the invitation stays, unused, until it expires)."""
    invitation = _decode(token)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = _invitation_mail(invitation, invitation_link(token))
    return send_mail(subject, invitation.email, body)


def _invitation_mail(invitation: SpeakerInvitation, link: str) -> tuple[str, str]:
    """The subject and text of the mail: who invites, for which profile and talks, the link and
    until when it works."""
    body = render_template("catalogue/invitation_email.txt", link=link, speaker=invitation.speaker,
                           inviter=invitation.invited_by, talks=_talks_in_order(invitation.speaker),
                           expires_at=invitation.expires_at)
    return _("Your speaker profile on %(site)s", site=current_app.config["SITE_NAME"]), body


def _talks_in_order(speaker: Speaker) -> list[Talk]:
    talks = [talk_link.talk for talk_link in speaker.talk_links]
    return sorted(talks, key=lambda talk: (talk.given_on or talk.event.start_date or date.min, talk.title))


def _decode(token: str) -> SpeakerInvitation:
    try:
        payload = _serializer().loads(token)
        invitation = db.session.get(SpeakerInvitation, int(payload["id"]))
        nonce = str(payload["nonce"])
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise InvitationError("invalid") from None
    if invitation is None or not hmac.compare_digest(invitation.nonce_hash, hash_nonce(nonce)):
        raise InvitationError("invalid")
    return invitation


def check_invitation(token: str) -> SpeakerInvitation:
    """The invitation the token stands for, if authentic, unused and not expired."""
    invitation = _decode(token)
    if invitation.used_at is not None:
        raise InvitationError("used", invitation)
    if invitation.expires_at <= utcnow():
        raise InvitationError("expired", invitation)
    return invitation


def check_account(invitation: SpeakerInvitation, user: User) -> None:
    if normalise_email(user.email) != invitation.email:
        raise InvitationError("wrong_account", invitation)


def _mark_used(invitation: SpeakerInvitation, user: User) -> None:
    """A conditional UPDATE: of two simultaneous claims, only one finds the invitation unused."""
    now = utcnow()
    result = db.session.execute(
        update(SpeakerInvitation)
        .where(SpeakerInvitation.id == invitation.id, SpeakerInvitation.used_at.is_(None))
        .values(used_at=now, used_by_id=user.id).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise InvitationError("used", invitation)
    db.session.refresh(invitation)


def _attach(invitation: SpeakerInvitation, user: User) -> Speaker:
    speaker = invitation.speaker
    _mark_used(invitation, user)
    if user not in speaker.owners:
        speaker.owners.append(user)
    db.session.flush()
    record_audit(user, "claim", speaker, {"owners": [None, user.email]})
    return speaker


def claim_for_user(token: str, user: User) -> Speaker:
    """An existing account (logged in, with the invited email) takes the profile."""
    invitation = check_invitation(token)
    check_account(invitation, user)
    return _attach(invitation, user)


def claim_with_new_account(token: str, password: str) -> tuple[User, Speaker]:
    """A new speaker account with the invited email and this password takes the profile.

    AccountError when the password breaks the rules or an account has that email already."""
    invitation = check_invitation(token)
    user = create_user(invitation.email, Role.SPEAKER, password)
    return user, _attach(invitation, user)


def account_exists_for(invitation: SpeakerInvitation) -> bool:
    return find_user(invitation.email) is not None


def recent_invitations(speaker: Speaker, limit: int = 5) -> list[SpeakerInvitation]:
    """The speaker's latest invitations, newest first (for the organisers' speaker page)."""
    return list(db.session.scalars(
        select(SpeakerInvitation).where(SpeakerInvitation.speaker_id == speaker.id)
        .order_by(SpeakerInvitation.created_at.desc(), SpeakerInvitation.id.desc()).limit(limit)))
