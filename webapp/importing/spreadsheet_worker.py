"""The background spreadsheet importer: one per deployment, elected by a file lock in UPLOAD_DIR.

A confirmed sheet (spreadsheet_staging.py) is imported whole in one transaction, or not at all:
when a row the dry run accepted fails now (the data changed since, or the staged file did), the
transaction is rolled back and the status names each failing row and why. Imports run one at a
time, here and against `flask import` (exclusive_writer), so two organisers who confirm at once
wait for each other. `SPREADSHEET_WORKER=off` leaves it to `flask import spreadsheets`.
"""
import logging
from pathlib import Path

import click
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError

from webapp.core.background import START_LOCK, BackgroundLoop, ElectedLoop, FileElection, background_mode
from webapp.core.writers import exclusive_writer
from webapp.extensions import db
from webapp.importing.spreadsheet_import import import_spreadsheet
from webapp.importing.spreadsheet_staging import (
    DONE,
    FAILED,
    RUNNING,
    load_plan,
    load_sheet,
    queued_folders,
    remove_old_batches,
    write_status,
)
from webapp.models import Event

ELECTION_LOCK_FILE = "spreadsheet-imports.lock"
POLL_SECONDS = 1.0
ELECTION_RETRY_SECONDS = 5.0
EXTENSION_KEY = "causeries_spreadsheet_worker"
log = logging.getLogger(__name__)


def worker_mode(app: Flask) -> str:
    return background_mode(app.config, "SPREADSHEET_WORKER", ("thread", "off"), under_testing="off")


def import_staged(folder: Path, wait_seconds: float) -> dict:
    """Import one confirmed sheet; the status it ends in. Commits, or rolls everything back."""
    plan = load_plan(folder)
    sheet, _filename = load_sheet(folder)
    accepted = set(plan["rows"])
    sheet.rows = [(number, cells) for number, cells in sheet.rows if number in accepted]
    total = len(sheet.rows)
    write_status(folder, RUNNING, done=0, total=total)
    try:
        exclusive_writer("import", wait_seconds)
        event = db.session.get(Event, plan["event_id"]) if plan["event_id"] else None
        if plan["event_id"] and event is None:
            raise LookupError(_("The chosen event no longer exists."))
        report = import_spreadsheet(sheet, {k: int(v) for k, v in plan["mapping"].items()}, event,
                                    lambda done: write_status(folder, RUNNING, done=done, total=total))
        failures = [{"row": o.row_number, "reason": o.reason} for o in report.refused]
        if failures:
            raise RowsFailed(failures)
        db.session.commit()
    except RowsFailed as error:
        db.session.rollback()
        return {"state": FAILED, "done": 0, "total": total, "failures": error.failures,
                "message": _("Nothing was imported: some rows can no longer be imported.")}
    except (LookupError, click.ClickException, IntegrityError, OperationalError) as error:
        db.session.rollback()
        message = str(error) if isinstance(error, LookupError) else _(
            "Nothing was imported: the database was busy with another import. Try again.")
        return {"state": FAILED, "done": 0, "total": total, "failures": [], "message": message}
    return {"state": DONE, "done": total, "total": total, "failures": [],
            "created": report.count("create"), "updated": report.count("update"),
            "unchanged": report.count("unchanged"), "events_created": report.events_created,
            "speakers_created": report.speakers_created, "event_id": plan["event_id"]}


class RowsFailed(Exception):
    def __init__(self, failures: list[dict]):
        super().__init__(f"{len(failures)} rows failed")
        self.failures = failures


def import_waiting_sheets(app: Flask) -> int:
    """Import every confirmed sheet, one at a time; how many were handled."""
    handled = 0
    with app.app_context():
        remove_old_batches()
        waiting = queued_folders()
    for folder in waiting:
        with app.app_context():
            try:
                with force_locale((load_plan(folder) or {}).get("locale") or "fr"):
                    outcome = import_staged(folder, app.config["IMPORT_WAIT_SECONDS"])
                write_status(folder, outcome.pop("state"), **outcome)
            except Exception:
                db.session.rollback()
                log.exception("spreadsheet import %s failed", folder.name)
                write_status(folder, FAILED, done=0, total=0, failures=[],
                             message=_("Nothing was imported: an unexpected error occurred."))
            finally:
                db.session.remove()
        handled += 1
    return handled


class SpreadsheetWorker(ElectedLoop):
    thread_name = "spreadsheet-worker"

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS):
        election = FileElection(Path(app.config["UPLOAD_DIR"]), ELECTION_LOCK_FILE)
        super().__init__(app, election, poll_seconds, ELECTION_RETRY_SECONDS)

    def work_once(self) -> int:
        try:
            return import_waiting_sheets(self.app)
        except Exception:
            log.exception("spreadsheet imports failed; retrying")
            return 0


def ensure_spreadsheet_worker(app: Flask) -> SpreadsheetWorker:
    with START_LOCK:
        worker = app.extensions[EXTENSION_KEY] = SpreadsheetWorker.running(
            app.extensions.get(EXTENSION_KEY), app)
    return worker


def stop_spreadsheet_worker(app: Flask) -> None:
    if (worker := app.extensions.get(EXTENSION_KEY)) is not None:
        worker.stop_if_ours()


SPREADSHEET_WORKER_LOOP = BackgroundLoop(
    name="spreadsheet-worker", is_on=lambda app: worker_mode(app) == "thread",
    ensure=ensure_spreadsheet_worker, stop=stop_spreadsheet_worker)
