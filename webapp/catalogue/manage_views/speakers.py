"""Workspace: speakers."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from webapp.catalogue.forms import SpeakerForm, format_links, speaker_data
from webapp.catalogue.operations import speakers as speaker_service
from webapp.catalogue.operations.speakers import DuplicateSpeaker
from webapp.core.blueprints import manage_bp as bp
from webapp.core.forms import ConfirmForm
from webapp.core.workspace import (
    check_button,
    filters,
    get_or_404,
    like_pattern,
    page_of,
    prefill,
    saved,
    show_form,
    text_filter,
)
from webapp.extensions import db
from webapp.models import Speaker, SpeakerAlias, TalkSpeaker


def _speaker_list_query(text: str):
    query = select(Speaker)
    if text:
        pattern = like_pattern(text)
        query = query.where(or_(Speaker.name.ilike(pattern), Speaker.organisation.ilike(pattern),
                                Speaker.aliases.any(SpeakerAlias.name.ilike(pattern))))
    return query.order_by(Speaker.sort_key, Speaker.id)


def _talk_counts(speaker_ids: list[int]) -> dict[int, int]:
    query = (select(TalkSpeaker.speaker_id, func.count()).group_by(TalkSpeaker.speaker_id)
             .where(TalkSpeaker.speaker_id.in_(speaker_ids)))
    return dict(db.session.execute(query).all())


@bp.get("/speakers/")
def speakers():
    text = text_filter()
    pagination = page_of(_speaker_list_query(text))
    counts = _talk_counts([speaker.id for speaker in pagination.items])
    return render_template("manage/speakers.html", pagination=pagination, talk_counts=counts,
                           q=text, args=filters())


def _duplicate(form: SpeakerForm, error: DuplicateSpeaker, speaker: Speaker | None):
    form.name.errors = [*form.name.errors, _(
        "“%(name)s” is already a speaker (or one of their spellings): edit that speaker instead.",
        name=error.speaker.name)]
    return show_form("manage/speaker_form.html", form, speaker=speaker, duplicate=error.speaker)


@bp.route("/speakers/new", methods=["GET", "POST"])
def speaker_new():
    form = SpeakerForm()
    if not form.validate_on_submit():
        return show_form("manage/speaker_form.html", form, speaker=None)
    try:
        speaker = speaker_service.create_speaker(current_user, speaker_data(form))
    except DuplicateSpeaker as error:
        return _duplicate(form, error, None)
    return saved(_("Speaker created."), "manage.speaker_edit", speaker_id=speaker.id)


def _speaker_form(speaker: Speaker, **form_args) -> SpeakerForm:
    """The form of a stored speaker: links as "label | address" lines, confirmed spellings, bio."""
    return prefill(SpeakerForm(obj=speaker, **form_args), speaker, links=format_links(speaker.links),
                   aliases="\n".join(alias.name for alias in speaker.confirmed_aliases))


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
def speaker_edit(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    form = _speaker_form(speaker)
    if not form.validate_on_submit():
        return show_form("manage/speaker_form.html", form, speaker=speaker)
    try:
        speaker_service.update_speaker(current_user, speaker, speaker_data(form))
    except DuplicateSpeaker as error:
        return _duplicate(form, error, speaker)
    return saved(_("Speaker saved."), "manage.speaker_edit", speaker_id=speaker.id)


def _refuse_confirmation(speaker: Speaker, error: DuplicateSpeaker):
    db.session.rollback()
    form = _speaker_form(speaker, formdata=None)
    form.name.errors = [_("“%(name)s” is already a speaker (or one of their spellings): merge the "
                          "two profiles instead.", name=error.speaker.name)]
    return render_template("manage/speaker_form.html", form=form, speaker=speaker,
                           duplicate=error.speaker), 409


@bp.post("/speakers/<int:speaker_id>/confirm-names")
def speaker_confirm_names(speaker_id: int):
    """The name and spellings the speaker entered are matched from now on."""
    speaker = get_or_404(Speaker, speaker_id)
    check_button()
    try:
        speaker_service.confirm_names(current_user, speaker)
    except DuplicateSpeaker as error:
        return _refuse_confirmation(speaker, error)
    return saved(_("The speaker's names are confirmed."), "manage.speaker_edit", speaker_id=speaker.id)


@bp.route("/speakers/<int:speaker_id>/delete", methods=["GET", "POST"])
def speaker_delete(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template(
            "manage/confirm_delete.html", form=form, kind=_("speaker"), label=speaker.name,
            cancel_url=url_for("manage.speaker_edit", speaker_id=speaker.id),
            consequences=_("They will be removed from their %(count)s talks; the talks stay.",
                           count=len(speaker.talk_links)))
    speaker_service.delete_speaker(current_user, speaker)
    return saved(_("Speaker deleted."), "manage.speakers")


@bp.post("/speakers/<int:speaker_id>/invite")
def speaker_invite(speaker_id: int):
    """Mail the speaker a link to claim this profile (webapp/catalogue/operations/invitations.py):
    the invitation is committed first, then mailed."""
    from webapp.accounts.operations import AccountError
    from webapp.catalogue.forms import InviteForm
    from webapp.catalogue.operations.invitations import create_invitation, mail_invitation

    speaker = get_or_404(Speaker, speaker_id)
    form = InviteForm()
    try:
        if not form.validate_on_submit():
            raise AccountError(" ".join(str(m) for errors in form.errors.values() for m in errors))
        token = create_invitation(current_user, speaker, form.email.data)
    except AccountError as error:
        db.session.rollback()
        form.email.errors = [str(error)]
        speaker_form = _speaker_form(speaker, formdata=None)
        return show_form("manage/speaker_form.html", speaker_form, speaker=speaker, invite_form=form)
    db.session.commit()
    return _invitation_mailed(speaker, form.email.data, mail_invitation(token))


def _invitation_mailed(speaker: Speaker, email: str, is_sent: bool):
    if is_sent:
        flash(_("The invitation was sent to %(email)s.", email=email), "success")
    else:
        flash(_("The mail to %(email)s could not be sent: the mail server refused it or did not answer. "
                "Check the mail settings, then send the invitation again.", email=email), "error")
    return redirect(url_for("manage.speaker_edit", speaker_id=speaker.id))
