"""/manage/events/<id>/slides/bulk: the slides of many talks of an event at once, from one ZIP.

1. The ZIP and a licence for the batch are posted (from the event's workspace page, or this page):
   the archive is checked and staged (bulk_operations.stage_bulk_upload), then 303 to the preview;
   a refused archive shows this page again with the reason and its 4xx (413 past
   SLIDES_BULK_MAX_BYTES, which this route's requests may carry instead of MAX_CONTENT_LENGTH).
2. /manage/events/<id>/slides/bulk/<token> shows each file with the talk its name matched, a select
   to correct it (or skip the file), its licence, files that matched nothing or several talks,
   and files given to the same talk. Posting it adds the decks in one commit and shows the report.
Organisers only (the blueprint's audience, checked before the body is read); CSRF on both forms.
"""
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.config import UPLOAD_FORM_OVERHEAD_BYTES
from webapp.core.i18n import format_file_size
from webapp.core.workspace import get_or_404
from webapp.extensions import db
from webapp.models import Event
from webapp.slides import bulk_bp as bp
from webapp.slides.bulk_archive import BulkArchiveError
from webapp.slides.bulk_forms import (
    BulkSlidesForm,
    chosen_talk_ids,
    licence_field_name,
    matching_form,
    talk_field_name,
)
from webapp.slides.bulk_matching import doubled_talks, match_files
from webapp.slides.bulk_operations import (
    Assignment,
    StagedFileRefused,
    add_staged_decks,
    archive_too_large,
    stage_bulk_upload,
    talk_choices,
)
from webapp.slides.bulk_staging import StagedBatch, load_batch

UPLOAD_ENDPOINT = "manage_bulk_slides.upload"


@bp.url_value_preprocessor
def allow_an_archive_sized_body(endpoint: str | None, values: dict | None) -> None:
    """Runs before every request hook (the CSRF check, which reads the body, included)."""
    if endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = current_app.config["SLIDES_BULK_MAX_BYTES"] + UPLOAD_FORM_OVERHEAD_BYTES


@bp.app_template_global()
def bulk_slides_form() -> BulkSlidesForm:
    """A new bulk upload form, for the event's workspace page."""
    return BulkSlidesForm(formdata=None)


@bp.app_template_global()
def bulk_max_upload_size() -> str:
    return format_file_size(current_app.config["SLIDES_BULK_MAX_BYTES"])


def _upload_page(event: Event, form: BulkSlidesForm, error: str | None = None, status: int = 200):
    db.session.rollback()
    return render_template("slides/bulk_upload.html", event=event, form=form, error=error), status


@bp.errorhandler(RequestEntityTooLarge)
def refuse_too_large(error: RequestEntityTooLarge):
    event = get_or_404(Event, (request.view_args or {}).get("event_id", 0))
    return _upload_page(event, BulkSlidesForm(formdata=None), str(archive_too_large()), 413)


@bp.route("/manage/events/<int:event_id>/slides/bulk", methods=["GET", "POST"])
def upload(event_id: int):
    event = get_or_404(Event, event_id)
    form = BulkSlidesForm()
    if not form.validate_on_submit():
        return _upload_page(event, form, status=400 if form.is_submitted() else 200)
    try:
        batch = stage_bulk_upload(event, current_user, form.archive.data.stream, form.licence.data)
    except BulkArchiveError as error:
        return _upload_page(event, form, str(error), error.status)
    return redirect(url_for(".preview", event_id=event.id, token=batch.token), code=303)


def _field(form, name: str):
    return form[name] if name in form else None


def _preview_rows(batch: StagedBatch, titles: dict[int, str], matches, form, doubled: set[int],
                  chosen) -> list[dict]:
    """A row per file: the file, its match (and the titles it may mean), its two selects (none when
    refused), whether its talk was given another file too."""
    return [{"number": number, "file": staged, "match": match, "is_doubled": chosen[number] in doubled,
             "candidates": [titles[talk_id] for talk_id in match.candidates],
             "talk_field": _field(form, talk_field_name(number)),
             "licence_field": _field(form, licence_field_name(number))}
            for number, (staged, match) in enumerate(zip(batch.files, matches))]


def _preview_page(event, batch, talks, matches, form, chosen, error=None, status=200):
    doubled = doubled_talks(chosen)
    rows = _preview_rows(batch, {talk.id: talk.title for talk in talks}, matches, form, doubled, chosen)
    return render_template("slides/bulk_preview.html", event=event, batch=batch, form=form, rows=rows,
                           error=error,
                           has_doubles=bool(doubled)), status


def _expired(event: Event):
    return render_template("slides/bulk_expired.html", event=event), 404


@bp.route("/manage/events/<int:event_id>/slides/bulk/<token>", methods=["GET", "POST"])
def preview(event_id: int, token: str):
    event = get_or_404(Event, event_id)
    batch = load_batch(token, current_user.id, event.id)
    if batch is None:
        return _expired(event)
    talks = talk_choices(event)
    matches = match_files([staged.name for staged in batch.files], talks)
    form = matching_form(batch, talks, matches)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return _preview_page(event, batch, talks, matches, form, chosen_talk_ids(form, batch), status=status)
    return _confirm(event, batch, talks, matches, form)


def _confirm(event: Event, batch: StagedBatch, talks, matches, form):
    chosen = chosen_talk_ids(form, batch)
    again = (event, batch, talks, matches, form, chosen)
    if doubled_talks(chosen):
        return _preview_page(*again, error=_("Several files are given to the same talk: choose another "
                                             "talk for one of them, or skip it."), status=422)
    if not any(chosen):
        return _preview_page(*again, error=_("Choose a talk for at least one file."), status=422)
    talks_by_id = {talk.id: talk for talk in event.talks}
    assignments = [Assignment(number, talks_by_id[talk_id], form[licence_field_name(number)].data)
                   for number, talk_id in enumerate(chosen) if talk_id is not None]
    try:
        added = add_staged_decks(batch, assignments, current_user)
    except StagedFileRefused as refusal:
        db.session.rollback()
        return _preview_page(*again, error=_("Nothing was added: %(reason)s", reason=str(refusal)),
                             status=refusal.error.status)
    db.session.commit()
    batch.remove()
    skipped = [staged for staged, talk_id in zip(batch.files, chosen) if talk_id is None]
    return render_template("slides/bulk_report.html", event=event, added=added, skipped=skipped)
