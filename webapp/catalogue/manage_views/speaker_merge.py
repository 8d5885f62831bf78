"""Workspace: merge a duplicate speaker into another one (the survivor).

From the duplicate's page: choose the survivor (GET, ?q= to look for a name), see what will move
(GET ?into=ID), then confirm (POST survivor_id, CSRF). The work is operations/speaker_merge.py.
"""
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired

from webapp.catalogue.operations.speaker_merge import merge_candidates, merge_preview, merge_speakers
from webapp.core.blueprints import manage_bp as bp
from webapp.core.workspace import MAX_ROW_ID, get_or_404, saved, text_filter
from webapp.models import Speaker

CHOOSE_SURVIVOR = _l("Choose the speaker to keep from the list.")


class SpeakerMergeForm(FlaskForm):
    """The confirmation: the survivor's id (shown as a hidden field) and the CSRF token."""

    survivor_id = IntegerField(validators=[InputRequired(message=CHOOSE_SURVIVOR)],
                               invalid_value_message=CHOOSE_SURVIVOR)


def _survivor_id(raw: str | None) -> int:
    if not raw or not raw.isdigit() or int(raw) > MAX_ROW_ID:
        abort(400, description=_("Choose the speaker to keep from the list."))
    return int(raw)


def _survivor(duplicate: Speaker, survivor_id: int) -> Speaker:
    survivor = get_or_404(Speaker, survivor_id)
    if survivor.id == duplicate.id:
        abort(400, description=_("A speaker cannot be merged into itself: choose another speaker."))
    return survivor


def _confirm(duplicate: Speaker, survivor: Speaker, form: SpeakerMergeForm):
    form.survivor_id.data = survivor.id
    return render_template("manage/speaker_merge_confirm.html", duplicate=duplicate, survivor=survivor,
                           preview=merge_preview(survivor, duplicate), form=form)


def _choose(duplicate: Speaker):
    text = text_filter()
    return render_template("manage/speaker_merge.html", duplicate=duplicate, q=text,
                           candidates=merge_candidates(duplicate, text))


def _merge(duplicate: Speaker):
    survivor = _survivor(duplicate, _survivor_id(request.form.get("survivor_id")))
    name = duplicate.name
    merge_speakers(current_user, survivor, duplicate)
    return saved(_("“%(duplicate)s” was merged into “%(survivor)s”.", duplicate=name, survivor=survivor.name),
                 "manage.speaker_edit", speaker_id=survivor.id)


@bp.route("/speakers/<int:speaker_id>/merge", methods=["GET", "POST"])
def speaker_merge(speaker_id: int):
    duplicate = get_or_404(Speaker, speaker_id)
    form = SpeakerMergeForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, description=_("This form has expired or lacks the speaker to keep. "
                                     "Please go back and try again."))
        return _merge(duplicate)
    if "into" in request.args:
        return _confirm(duplicate, _survivor(duplicate, _survivor_id(request.args.get("into"))), form)
    return _choose(duplicate)
