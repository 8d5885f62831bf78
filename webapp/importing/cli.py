"""`flask import pyvideo DIR` and `flask demo load`: filling the archive from other formats."""
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core.archive_format import ArchiveError
from webapp.core.commands import commit_retrying
from webapp.core.writers import exclusive_writer
from webapp.importing.archive_restore import restore_archive
from webapp.importing.demo import demo_sources, is_archive_empty, load_demo
from webapp.importing.frab_cli import import_schedule_command
from webapp.importing.operations import import_pyvideo
from webapp.importing.pyvideo_reading import ImportSourceError, scan_pyvideo_tree
from webapp.importing.spreadsheet_cli import import_csv_command, import_spreadsheets_command
from webapp.related.operations import rebuild_related
from webapp.search.operations import index_queued_changes
from webapp.slides.operations import process_pending_decks

demo_cli = AppGroup("demo", help="Demonstration content.")
import_cli = AppGroup("import", help="Import archives from other formats.")
import_cli.add_command(import_schedule_command)
import_cli.add_command(import_csv_command)
import_cli.add_command(import_spreadsheets_command)


@contextmanager
def record_progress(sources, label: str):
    """A progress bar on stderr over the records of the scanned tree; yields its update."""
    total = sum(len(source.video_paths) for source in sources)
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def wait_for_other_imports() -> None:
    """Imports run one at a time: the lookups an import loads must stay true until it commits."""
    exclusive_writer("import", current_app.config["IMPORT_WAIT_SECONDS"])


def _relative(path: Path, root: Path | None) -> str:
    return str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)


def echo_import_report(report, root: Path | None = None) -> None:
    click.echo(f"Events: {report.events_total} ({report.events_created} created, "
               f"{report.events_updated} updated, {report.events_unchanged} unchanged)")
    click.echo(f"Talks: {report.talks_total} ({report.talks_created} created, "
               f"{report.talks_updated} updated, {report.talks_unchanged} unchanged)")
    click.echo(f"Speakers created: {report.speakers_created}")
    click.echo(f"Records skipped: {len(report.skipped)}")
    for skipped in report.skipped:
        click.echo(f"  {_relative(skipped.path, root)}: {skipped.reason}", err=True)


@import_cli.command("pyvideo")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, readable=True,
                                             resolve_path=True, path_type=Path))
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Processes reading the records (default: one per CPU for a large tree; "
                   "0: read in this process).")
def import_pyvideo_command(directory: Path, workers: int | None) -> None:
    """Import a pyvideo.org data tree: DIRECTORY/<event>/category.json and videos/*.json.

    Idempotent: running it again only updates the talks whose record changed. Bad records
    are reported with the reason and skipped; the rest is imported.
    """
    try:
        sources = scan_pyvideo_tree(directory)
    except ImportSourceError as error:
        raise click.ClickException(str(error)) from error

    def attempt():
        wait_for_other_imports()
        with record_progress(sources, "Importing talks") as on_progress:
            return import_pyvideo(sources, on_progress, workers)

    report = commit_retrying(attempt)
    echo_import_report(report, directory)


@import_cli.command("archive")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, readable=True,
                                             resolve_path=True, path_type=Path))
def import_archive_command(directory: Path) -> None:
    """Restore what `flask export archive` wrote into an EMPTY database: checksums first, then
    every row (same ids and slugs) and every file (into UPLOAD_DIR), in one transaction."""
    def attempt():
        wait_for_other_imports()
        return restore_archive(directory, Path(current_app.config["UPLOAD_DIR"]))

    try:
        counts = commit_retrying(attempt)
    except ArchiveError as error:
        raise click.ClickException(f"Nothing was imported: {error}.") from error
    click.echo("Restored: " + ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())))


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Load only when the archive has no event yet.")
def demo_load(if_empty: bool) -> None:
    """Load the seed study day (#mednumsavoirs), a talk about Causeries, a curated path and the
    PyCon FR talks. Idempotent."""
    sources = demo_sources()

    def attempt():
        wait_for_other_imports()
        if if_empty and not is_archive_empty():
            return None
        with record_progress(sources, "Loading the demo talks") as on_progress:
            return load_demo(sources, on_progress)

    report = commit_retrying(attempt)
    if report is None:
        click.echo("The archive already has events: nothing loaded.")
        return
    click.echo("Seed study day: " + ("loaded" if report.seed_changed else "unchanged"))
    click.echo("Demo talk about Causeries: " + ("loaded" if report.demo_talk.is_changed else "unchanged"))
    click.echo("Demo curated path: " + ("created" if report.is_demo_path_created else "already there"))
    echo_import_report(report.pyvideo)
    if report.demo_talk.deck is not None:
        click.echo(f"Demo slide deck: {process_pending_decks()} deck(s) processed")
    index_queued_changes()  # related talks draw on the index's text similarity
    click.echo(f"Related talks: computed for {rebuild_related()} talk(s)")  # commits a chunk at a time
