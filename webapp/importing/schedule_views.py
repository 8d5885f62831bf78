"""Schedules: an event's programme as a frab schedule.xml (public), and the workspace page that
imports a frab/pretalx schedule (XML or JSON) from an uploaded file or an address.

/manage/import/schedule (blueprint manage_schedules, organisers and admins only, checked before
the body is read; CSRF): the file is read by content, up to SCHEDULE_FETCH_MAX_BYTES (413 beyond);
an address is fetched under the rules of frab_fetch.py. The import commits once, then the page
shows its report; a file refused as a whole is a 400 with the reason, and nothing is kept.
"""
import click
from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.catalogue.queries import public_or_moved
from webapp.core.access import can_manage, require_audience
from webapp.core.i18n import format_file_size
from webapp.core.writers import exclusive_writer
from webapp.extensions import db
from webapp.importing.frab_export import schedule_xml
from webapp.importing.frab_fetch import FetchRefused, fetch
from webapp.importing.frab_import import import_schedule
from webapp.importing.frab_reading import ScheduleError

bp = Blueprint("schedules", __name__)
manage_bp = Blueprint("manage_schedules", __name__, url_prefix="/manage/import/schedule")
require_audience(manage_bp, can_manage)

SCHEDULE_MIMETYPE = "application/xml"
CACHE_SECONDS = 600
FORM_OVERHEAD_BYTES = 64 * 1024
VIEW_WAIT_SECONDS = 30  # a page waits this long at most for another import to finish
TEMPLATE = "importing/schedule_import.html"


@bp.get("/events/<slug>/schedule.xml")
def event_schedule_xml(slug: str):
    """The public programme of an event in the frab format (its public talks only)."""
    event = public_or_moved("event", slug, "schedules.event_schedule_xml")
    response = current_app.response_class(schedule_xml(event, public_only=True), mimetype=SCHEDULE_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-schedule.xml"'
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response.make_conditional(request)


def _max_bytes() -> int:
    return current_app.config["SCHEDULE_FETCH_MAX_BYTES"]


@manage_bp.url_value_preprocessor
def limit_request_size(_endpoint, _values) -> None:
    """Runs before any before_request hook reads the form: Werkzeug refuses more with 413."""
    request.max_content_length = _max_bytes() + FORM_OVERHEAD_BYTES


def _page(status: int = 200, **context):
    return render_template(TEMPLATE, limit=format_file_size(_max_bytes()), **context), status


@manage_bp.errorhandler(RequestEntityTooLarge)
def refuse_too_large(_error):
    return _page(413, error=_("The file is larger than the limit of %(limit)s.",
                              limit=format_file_size(_max_bytes())))


def _sent_schedule() -> bytes | None:
    """The uploaded file's bytes, else those at the address sent; None when neither was."""
    upload = request.files.get("file")
    if upload and upload.filename:
        data = upload.read(_max_bytes() + 1)
        if len(data) > _max_bytes():
            raise RequestEntityTooLarge()
        return data
    url = request.form.get("url", "").strip()
    return fetch(url).body if url else None


def _import(data: bytes, fetch_slides: bool):
    try:
        exclusive_writer("import", min(VIEW_WAIT_SECONDS, current_app.config["IMPORT_WAIT_SECONDS"]))
    except click.ClickException:
        return None
    report = import_schedule(data, current_user, fetch_slides=fetch_slides)
    db.session.commit()
    return report


@manage_bp.route("", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        return _page()
    fetch_slides = request.form.get("fetch_slides") == "1"
    try:
        data = _sent_schedule()
        if data is None:
            return _page(400, error=_("Choose a schedule file, or give its address."))
        report = _import(data, fetch_slides)
    except (FetchRefused, ScheduleError) as error:
        db.session.rollback()
        return _page(400, error=_("Nothing was imported: %(reason)s", reason=str(error)))
    if report is None:
        return _page(503, error=_("Another import is running; nothing was changed. Try again in a moment."))
    return _page(report=report)
