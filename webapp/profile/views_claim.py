"""/claim/<token>: a speaker claims the profile an organiser invited them to keep.

A new visitor creates a speaker account with the invited email; a logged-in account with that
email attaches the profile; someone whose account has that email logs in first and comes back.
A logged-in account with another email is refused (403): the invitation is bound to its email.
"""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from webapp.accounts.operations import AccountError, start_login_session
from webapp.catalogue.operations import invitations
from webapp.catalogue.operations.invitations import InvitationError
from webapp.core.blueprints import profile_bp as bp
from webapp.core.forms import NewPasswordForm as NewAccountForm
from webapp.extensions import db
from webapp.profile.forms import ClaimConfirmForm


def _problem(error: InvitationError):
    db.session.rollback()
    return render_template("profile/claim_problem.html", reason=error.reason,
                           invitation=error.invitation), error.status


def _claimed(speaker):
    db.session.commit()
    flash(_("The profile “%(name)s” is yours to keep now.", name=speaker.name), "success")
    return redirect(url_for("profile.edit", slug=speaker.slug), code=303)


def _attach_to_current_user(token: str, invitation):
    form = ClaimConfirmForm()
    if not form.validate_on_submit():
        return render_template("profile/claim.html", invitation=invitation, form=form, mode="attach"), \
            400 if form.is_submitted() else 200
    return _claimed(invitations.claim_for_user(token, current_user))


def _create_account(token: str, invitation):
    form = NewAccountForm()
    if not form.validate_on_submit():
        return render_template("profile/claim.html", invitation=invitation, form=form, mode="create"), \
            400 if form.is_submitted() else 200
    try:
        user, speaker = invitations.claim_with_new_account(token, form.password.data)
    except AccountError as error:
        db.session.rollback()
        form.password.errors = [*form.password.errors, str(error)]
        return render_template("profile/claim.html", invitation=invitation, form=form, mode="create"), 400
    session.clear()  # a fresh session for the new account (session fixation)
    start_login_session(user)  # committed by _claimed
    login_user(user)
    return _claimed(speaker)


@bp.route("/claim/<token>", methods=["GET", "POST"])
def claim(token: str):
    try:
        invitation = invitations.check_invitation(token)
        if current_user.is_authenticated:
            invitations.check_account(invitation, current_user)
            return _attach_to_current_user(token, invitation)
    except InvitationError as error:
        return _problem(error)
    if invitations.account_exists_for(invitation):
        login_url = url_for("auth.login", next=request.path)
        return render_template("profile/claim.html", invitation=invitation, mode="login", login_url=login_url)
    try:
        return _create_account(token, invitation)
    except InvitationError as error:
        return _problem(error)
