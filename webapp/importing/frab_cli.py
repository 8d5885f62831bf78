"""`flask import schedule FILE_OR_URL`: a frab/pretalx schedule (XML or JSON) into the archive."""
from pathlib import Path

import click
from flask import current_app

from webapp.core.commands import commit_retrying
from webapp.core.i18n import in_english
from webapp.core.writers import exclusive_writer
from webapp.importing.frab_fetch import FetchRefused, fetch
from webapp.importing.frab_import import ScheduleReport, import_schedule
from webapp.importing.frab_reading import ScheduleError


def read_source(source: str) -> bytes:
    """The bytes of a local file, or of an address (http or https only, see frab_fetch.py)."""
    if "://" in source:
        return fetch(source).body
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"{source}: no such file.")
    if path.stat().st_size > current_app.config["SCHEDULE_FETCH_MAX_BYTES"]:
        raise click.ClickException(f"{source} is larger than SCHEDULE_FETCH_MAX_BYTES.")
    return path.read_bytes()


def echo_schedule_report(report: ScheduleReport) -> None:
    event, found = report.event, "created as a draft" if report.events_created else "found again"
    click.echo(f"Event: {event.title} ({event.slug}, {found})")
    click.echo(f"Talks: {report.talks_total} ({report.talks_created} created, "
               f"{report.talks_updated} updated, {report.talks_unchanged} unchanged)")
    click.echo(f"Speakers created: {report.speakers_created}")
    click.echo(f"Slide decks attached: {report.slides_attached}")
    click.echo(f"Records skipped: {len(report.skipped)}")
    for skipped in report.skipped:
        click.echo(f"  {skipped.path}: {skipped.reason}", err=True)
    for problem in report.slide_problems:
        click.echo(f"  slides of {problem}", err=True)


@click.command("schedule")
@click.argument("source")
@click.option("--no-slides", is_flag=True, help="Do not fetch the slide decks among the attachments.")
@in_english
def import_schedule_command(source: str, no_slides: bool) -> None:
    """Import a frab/pretalx schedule (schedule.xml or schedule.json) from a FILE or an http(s) URL.

    The conference becomes an event (a draft when new), each talk is found again by its guid:
    running it again changes nothing. Bad records are reported with the reason and skipped.
    """
    try:
        data = read_source(source)

        def attempt():
            exclusive_writer("import", current_app.config["IMPORT_WAIT_SECONDS"])
            return import_schedule(data, fetch_slides=not no_slides)

        report = commit_retrying(attempt)
    except (FetchRefused, ScheduleError) as error:
        raise click.ClickException(f"Nothing was imported: {error}") from error
    echo_schedule_report(report)
