"""Workspace pages importing a spreadsheet: upload, mapping and dry run, confirm, progress.

/manage/import/spreadsheet (blueprint manage_spreadsheets, organisers and admins only, checked
before the body is read): the upload is read by content and size (SPREADSHEET_MAX_BYTES, 413
beyond) and staged; the mapping page guesses each field's column from the headers, and its
dry run rolls back what it tried, listing what would be created, updated or refused. Confirming
queues the batch for the background worker (spreadsheet_worker.py); the progress page polls
status.json (static/js/spreadsheet_import.js).
"""
from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.core.access import can_manage, require_audience
from webapp.core.background import ensure_loop
from webapp.core.i18n import format_file_size
from webapp.extensions import db
from webapp.importing.spreadsheet_fields import FIELD_NAMES, FIELDS, guess_mapping
from webapp.importing.spreadsheet_import import import_spreadsheet
from webapp.importing.spreadsheet_reading import SheetError, read_sheet
from webapp.importing.spreadsheet_staging import (
    batch_folder,
    confirm_plan,
    load_plan,
    load_sheet,
    read_status,
    stage_sheet,
)
from webapp.models import Event

bp = Blueprint("manage_spreadsheets", __name__, url_prefix="/manage/import/spreadsheet")
require_audience(bp, can_manage)
FORM_OVERHEAD_BYTES = 64 * 1024
SHOWN_OUTCOMES = 500


@bp.url_value_preprocessor
def limit_request_size(_endpoint, _values) -> None:
    """Runs before any before_request hook reads the form: Werkzeug refuses more with 413."""
    request.max_content_length = current_app.config["SPREADSHEET_MAX_BYTES"] + FORM_OVERHEAD_BYTES


def _size_limit() -> str:
    return format_file_size(current_app.config["SPREADSHEET_MAX_BYTES"])


@bp.errorhandler(RequestEntityTooLarge)
def refuse_too_large(_error):
    error = _("The file is larger than the limit of %(limit)s.", limit=_size_limit())
    return render_template("importing/spreadsheet_upload.html", error=error, limit=_size_limit()), 413


@bp.route("", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        return render_template("importing/spreadsheet_upload.html", limit=_size_limit())
    upload = request.files.get("file")
    data = upload.read(current_app.config["SPREADSHEET_MAX_BYTES"] + 1) if upload else b""
    if len(data) > current_app.config["SPREADSHEET_MAX_BYTES"]:
        return refuse_too_large(None)
    try:
        sheet = read_sheet(data) if data else None
    except SheetError as error:
        return render_template("importing/spreadsheet_upload.html", error=str(error), limit=_size_limit()), 400
    if sheet is None:
        error = _("Choose a CSV or XLSX file to upload.")
        return render_template("importing/spreadsheet_upload.html", error=error, limit=_size_limit()), 400
    token = stage_sheet(sheet, upload.filename or "")
    return redirect(url_for(".mapping", token=token), code=303)


def _staged(token: str):
    folder = batch_folder(token)
    if folder is None:
        abort(404)
    return folder


def read_mapping_form(headers: list[str]) -> tuple[dict[str, int], Event | None]:
    """The columns chosen per field, and the chosen event; 400 on values no form offers."""
    mapping = {}
    for name in FIELD_NAMES:
        raw = request.form.get(f"column-{name}", "")
        if raw:
            if not (raw.isdigit() and int(raw) < len(headers)):
                abort(400, description=_("Unknown column."))
            mapping[name] = int(raw)
    raw_event = request.form.get("event_id", "")
    if not raw_event:
        return mapping, None
    if not (raw_event.isdigit() and len(raw_event) < 10):
        abort(400, description=_("Unknown event."))
    return mapping, db.get_or_404(Event, int(raw_event))


def mapping_problem(mapping: dict[str, int], event: Event | None) -> str | None:
    if "title" not in mapping:
        return _("Choose the column that holds the titles.")
    if event is None and "event" not in mapping:
        return _("Choose an event, or the column that names each talk's event.")
    return None


def dry_run(sheet, mapping, event):
    """What the import would do; nothing of it is kept."""
    try:
        return import_spreadsheet(sheet, mapping, event)
    finally:
        db.session.rollback()


def _render_mapping(token, sheet, filename, mapping, event, report=None, error=None, status=200):
    events = db.session.scalars(select(Event).order_by(Event.start_date.desc().nulls_last(), Event.title))
    return render_template(
        "importing/spreadsheet_mapping.html", token=token, sheet=sheet, filename=filename,
        fields=FIELDS, mapping=mapping, events=list(events), chosen_event=event, report=report,
        error=error, shown=SHOWN_OUTCOMES), status


@bp.route("/<token>", methods=["GET", "POST"])
def mapping(token: str):
    folder = _staged(token)
    if load_plan(folder) is not None:
        return redirect(url_for(".progress", token=token), code=303)
    sheet, filename = load_sheet(folder)
    if request.method == "GET":
        return _render_mapping(token, sheet, filename, guess_mapping(sheet.headers), None)
    mapping, event = read_mapping_form(sheet.headers)
    if problem := mapping_problem(mapping, event):
        return _render_mapping(token, sheet, filename, mapping, event, error=problem, status=400)
    report = dry_run(sheet, mapping, event)
    if request.form.get("action") != "confirm":
        return _render_mapping(token, sheet, filename, mapping, event, report=report)
    if not report.accepted_rows:
        error = _("No row can be imported: correct the sheet or the columns.")
        return _render_mapping(token, sheet, filename, mapping, event, report, error, status=400)
    confirm_plan(folder, mapping, event.id if event else None, report.accepted_rows, str(get_locale()))
    ensure_loop(current_app, "spreadsheet-worker")
    return redirect(url_for(".progress", token=token), code=303)


@bp.get("/<token>/progress")
def progress(token: str):
    folder = _staged(token)
    status = read_status(folder) or abort(404)
    plan = load_plan(folder)
    event = db.session.get(Event, plan["event_id"]) if plan and plan.get("event_id") else None
    return render_template("importing/spreadsheet_progress.html", token=token, status=status,
                           event=event, events=_events_named(status))


def _events_named(status: dict) -> list[Event]:
    if not status.get("events_created"):
        return []
    return list(db.session.scalars(select(Event).where(Event.title.in_(status["events_created"]))))


@bp.get("/<token>/status.json")
def status_json(token: str):
    status = read_status(_staged(token)) or abort(404)
    response = jsonify(state=status["state"], done=status.get("done", 0), total=status.get("total", 0))
    response.headers["Cache-Control"] = "no-store"
    return response
