"""/profile/talks/<id>/transcripts: a speaker uploads, replaces or deletes the transcripts of their own talk.

The same section, form and operations organisers have on the talk's workspace page
(manage_views.py), on a page of the speaker's area; only who may use it differs: organisers, or an
owner of one of the talk's speakers (403 for anyone else), checked before the body is read, as for
their slides (webapp/slides/profile_views.py).
"""
from flask import abort, request, url_for
from flask_login import current_user

from webapp.core.access import checked_before_body, login_required
from webapp.core.blueprints import profile_bp as bp
from webapp.core.speaker_access import can_upload_for_talk
from webapp.core.workspace import get_or_404
from webapp.models import Talk
from webapp.transcripts.manage_views import (
    TranscriptsPage,
    limit_body,
    new_upload_form,
    remove_transcript,
    render_transcripts_page,
    upload_transcript,
)


def own_talk_or_abort(talk_id: int, **_values) -> Talk:
    """The talk: 404 if there is none, 403 unless the user may manage its transcripts."""
    talk = get_or_404(Talk, talk_id)
    if not can_upload_for_talk(current_user, talk):
        abort(403)
    limit_body()
    return talk


def speaker_transcripts_page(talk: Talk) -> TranscriptsPage:
    url = url_for("profile.talk_transcripts", talk_id=talk.id)
    return TranscriptsPage("transcripts/profile_upload.html", url, url, "profile.delete_talk_transcript")


@bp.route("/profile/talks/<int:talk_id>/transcripts", methods=["GET", "POST"])
@login_required
@checked_before_body(own_talk_or_abort)
def talk_transcripts(talk_id: int):
    talk = own_talk_or_abort(talk_id)
    page = speaker_transcripts_page(talk)
    if request.method == "GET":
        return render_transcripts_page(talk, page, new_upload_form())
    return upload_transcript(talk, page)


@bp.post("/profile/talks/<int:talk_id>/transcripts/<language>/delete")
@login_required
@checked_before_body(own_talk_or_abort)
def delete_talk_transcript(talk_id: int, language: str):
    talk = own_talk_or_abort(talk_id)
    return remove_transcript(talk, speaker_transcripts_page(talk), language)
