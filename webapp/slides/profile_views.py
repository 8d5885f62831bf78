"""/profile/talks/<id>/slides: a speaker uploads or replaces the slides of their own talk.

The same section, form, service and processing the organisers have on the talk's workspace page
(manage_views.py), on a page of the speaker's area; only who may use it differs: organisers, or
an owner of one of the talk's speakers (403 for anyone else).
"""
from flask import abort, request
from flask_login import current_user

from webapp.core.access import checked_before_body, login_required
from webapp.core.blueprints import profile_bp as bp
from webapp.core.speaker_access import can_upload_for_talk
from webapp.core.workspace import get_or_404
from webapp.models import Talk
from webapp.slides.forms import SlideUploadForm
from webapp.slides.manage_views import render_decks_page, speaker_decks_page, upload_deck


def own_talk_or_abort(talk_id: int) -> Talk:
    """The talk: 404 if there is none, 403 unless the user may upload its slides."""
    talk = get_or_404(Talk, talk_id)
    if not can_upload_for_talk(current_user, talk):
        abort(403)
    return talk


@bp.route("/profile/talks/<int:talk_id>/slides", methods=["GET", "POST"])
@login_required
@checked_before_body(own_talk_or_abort)
def talk_slides(talk_id: int):
    talk = own_talk_or_abort(talk_id)
    page = speaker_decks_page(talk)
    if request.method == "GET":
        return render_decks_page(talk, page, SlideUploadForm(formdata=None))
    return upload_deck(talk, page)
