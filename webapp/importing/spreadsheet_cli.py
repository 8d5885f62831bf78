"""`flask import csv FILE` (CSV or XLSX, told by content) and `flask import spreadsheets`.

The columns are guessed from the headers as in the workspace (spreadsheet_fields.py). Refused
rows are listed with their reason; the others land in one transaction, after any other import.
"""
from pathlib import Path

import click
from flask import current_app

from webapp.core.commands import commit_retrying, find_by_slug_or_fail
from webapp.core.i18n import in_english
from webapp.core.writers import exclusive_writer
from webapp.extensions import db
from webapp.importing.spreadsheet_fields import FIELDS, guess_mapping
from webapp.importing.spreadsheet_import import import_spreadsheet
from webapp.importing.spreadsheet_reading import SheetError, read_sheet
from webapp.importing.spreadsheet_worker import import_waiting_sheets
from webapp.models import Event


class DryRunDone(Exception):
    def __init__(self, report):
        self.report = report


def read_sheet_file(path: Path):
    if path.stat().st_size > current_app.config["SPREADSHEET_MAX_BYTES"]:
        raise click.ClickException(f"{path} is larger than SPREADSHEET_MAX_BYTES.")
    try:
        return read_sheet(path.read_bytes())
    except SheetError as error:
        raise click.ClickException(f"{path}: {error}") from error


def echo_columns(sheet, mapping: dict[str, int]) -> None:
    for field in FIELDS:
        if field.name in mapping:
            click.echo(f"  {field.name}: column {sheet.headers[mapping[field.name]]!r}")


def echo_spreadsheet_report(report, dry_run: bool) -> None:
    verb = "would be" if dry_run else "were"
    click.echo(f"Talks: {report.count('create')} created, {report.count('update')} updated, "
               f"{report.count('unchanged')} unchanged ({verb} so)")
    click.echo(f"Events created: {len(report.events_created)}; speakers created: {report.speakers_created}")
    click.echo(f"Rows refused: {len(report.refused)}")
    for outcome in report.refused:
        click.echo(f"  row {outcome.row_number}: {outcome.reason}", err=True)


@click.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--event", "event_slug", default=None,
              help="Import every row into this event (its slug); default: the sheet's event column.")
@click.option("--dry-run", is_flag=True, help="Say what would change, and save nothing.")
@in_english
def import_csv_command(file: Path, event_slug: str | None, dry_run: bool) -> None:
    """Import talks from a spreadsheet FILE: CSV (UTF-8 or Windows-1252, ";" or ",") or XLSX.

    Idempotent: talks are found again by event and row key (an "id"/"clé" column, else the title).
    """
    sheet = read_sheet_file(file)
    mapping = guess_mapping(sheet.headers)
    if "title" not in mapping or (event_slug is None and "event" not in mapping):
        raise click.ClickException("The sheet needs a title column, and an event column or --event.")
    echo_columns(sheet, mapping)

    def attempt():
        exclusive_writer("import", current_app.config["IMPORT_WAIT_SECONDS"])
        event = find_by_slug_or_fail(Event, event_slug) if event_slug else None
        report = import_spreadsheet(sheet, mapping, event)
        if dry_run:
            raise DryRunDone(report)
        return report

    try:
        report = commit_retrying(attempt)
    except DryRunDone as done:
        report = done.report
    echo_spreadsheet_report(report, dry_run)


@click.command("spreadsheets")
def import_spreadsheets_command() -> None:
    """Import the spreadsheets organisers confirmed in the workspace (SPREADSHEET_WORKER=off)."""
    db.session.rollback()
    click.echo(f"Spreadsheets imported: {import_waiting_sheets(current_app._get_current_object())}")
