"""/profile: the speaker's profiles, the editor, the bio preview, and the photo files."""
from datetime import date, timedelta

from flask import abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.catalogue.operations.speakers import DuplicateSpeaker
from webapp.core.access import checked_before_body, login_required
from webapp.core.blueprints import profile_bp as bp
from webapp.core.forms import show_rich_text
from webapp.core.speaker_access import can_edit_speaker, owned_speakers
from webapp.core.storage import protect_stored_file
from webapp.core.visibility import public_speakers
from webapp.extensions import db
from webapp.models import Speaker
from webapp.profile import operations as profiles
from webapp.profile.forms import PreviewForm, ProfileForm, profile_data
from webapp.profile.photos import PhotoError, find_speaker_by_photo, photo_path
from webapp.stats.queries import talk_figures_for_speaker

UNPROCESSABLE = 422
FIGURES_PERIOD = timedelta(days=365)  # the figures a speaker sees on /profile: the last year


def editable_speaker_or_abort(slug: str) -> Speaker:
    """The profile with that slug: 404 if there is none, 403 if the user may not edit it."""
    speaker = db.session.scalar(select(Speaker).where(Speaker.slug == slug[:200]))
    if speaker is None:
        abort(404)
    if not can_edit_speaker(current_user, speaker):
        abort(403)
    return speaker


@bp.get("/profile")
@bp.get("/profile/")
@login_required
def index():
    speakers = owned_speakers(current_user)
    if len(speakers) == 1:
        return redirect(url_for("profile.edit", slug=speakers[0].slug))
    return render_template("profile/index.html", speakers=speakers)


def _initial_links(speaker: Speaker) -> list[dict]:
    return [profiles.editable_link(link) for link in speaker.links or [] if isinstance(link, dict)]


def _profile_form(speaker: Speaker) -> ProfileForm:
    form = ProfileForm(data={
        "name": speaker.name, "headline": speaker.headline, "organisation": speaker.organisation,
        "links": _initial_links(speaker), "aliases": "\n".join(alias.name for alias in speaker.aliases),
        "preferred_language": speaker.preferred_language or ""})
    show_rich_text(form, speaker)
    form.add_empty_link_rows()
    return form


def _show_editor(speaker: Speaker, form: ProfileForm, status: int = 200):
    if status >= 400:
        flash(_("Please correct the fields marked below. Nothing was saved."), "error")
    until = date.today()
    since = until - FIGURES_PERIOD
    return render_template("profile/edit.html", speaker=speaker, form=form,
                           talks=[link.talk for link in speaker.talk_links],
                           talk_figures=talk_figures_for_speaker(speaker, since, until),
                           figures_since=since, figures_until=until), status


def _refuse(speaker: Speaker, form: ProfileForm, field, message: str, status: int = UNPROCESSABLE):
    db.session.rollback()
    db.session.refresh(speaker)
    field.errors = [*field.errors, message]
    return _show_editor(speaker, form, status)


@bp.route("/profile/<slug>", methods=["GET", "POST"])
@login_required
@checked_before_body(editable_speaker_or_abort)
def edit(slug: str):
    speaker = editable_speaker_or_abort(slug)
    form = _profile_form(speaker)
    if not form.validate_on_submit():
        return _show_editor(speaker, form, UNPROCESSABLE if form.is_submitted() else 200)
    photo = form.photo.data
    try:
        profiles.update_profile(current_user, speaker, profile_data(form),
                                photo.stream if photo else None, form.remove_photo.data)
    except PhotoError as error:
        return _refuse(speaker, form, form.photo, str(error), error.status)
    except DuplicateSpeaker as error:
        return _refuse(speaker, form, form.name, _(
            "“%(name)s” is already the name of another speaker; ask the organisers to merge the profiles.",
            name=error.speaker.name))
    db.session.commit()
    flash(_("Your profile was saved."), "success")
    return redirect(url_for("profile.edit", slug=speaker.slug), code=303)


@bp.post("/profile/<slug>/preview")
@login_required
@checked_before_body(editable_speaker_or_abort)
def preview(slug: str):
    """The bio as the saved page will show it: the same function renders both."""
    editable_speaker_or_abort(slug)
    form = PreviewForm()
    if not form.validate_on_submit():
        return jsonify(error="invalid_form", message=_("The biography is too long.")), 400
    return jsonify(html=profiles.render_bio(form.bio_source.data))


def _is_public_speaker(speaker: Speaker) -> bool:
    return db.session.scalar(public_speakers().where(Speaker.id == speaker.id)) is not None


@bp.get("/photos/<key>/<int:size>.jpg")
def photo(key: str, size: int):
    """A speaker's photo: public with the speaker, else only for those who may edit the profile."""
    speaker = find_speaker_by_photo(key)
    if speaker is None:
        abort(404)
    is_public = _is_public_speaker(speaker)
    if not (is_public or can_edit_speaker(current_user, speaker)):
        abort(404)
    try:
        path = photo_path(key, size)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", etag=f"{key}-{size}", conditional=True, max_age=None)
    return protect_stored_file(response, is_public)
