"""`flask export archive DIR` and `flask export static DIR`."""
from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.core.archive_format import MANIFEST
from webapp.exporting.archive import export_archive
from webapp.exporting.output_folder import prepare_output_folder
from webapp.exporting.static_site import STATIC_MARKER, export_static_site

export_cli = AppGroup("export", help="Export the archive: a full backup, or an offline copy.")
folder_argument = click.argument("directory", type=click.Path(file_okay=False, resolve_path=True,
                                                              path_type=Path))
force_option = click.option("--force", is_flag=True,
                            help="Replace a previous export of the same kind in DIRECTORY.")


@export_cli.command("archive")
@folder_argument
@click.option("--public", "public_only", is_flag=True, help="Only what the public may see.")
@force_option
def export_archive_command(directory: Path, public_only: bool, force: bool) -> None:
    """Write every event, talk, speaker, tag, series, deck and photo to DIRECTORY (pyvideo
    layout, a manifest with the SHA-256 of every file). `flask import archive` restores it."""
    prepare_output_folder(directory, force, MANIFEST)
    counts = export_archive(directory, public_only)
    click.echo("Exported: " + ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())))


@export_cli.command("static")
@folder_argument
@click.option("--base-url", default=None,
              help="The address the copy will be served from (default: relative links only).")
@force_option
def export_static_command(directory: Path, base_url: str | None, force: bool) -> None:
    """Write the public archive as a static site that works from any host and from file://."""
    prepare_output_folder(directory, force, STATIC_MARKER)
    report = export_static_site(directory, base_url)
    click.echo(f"Static copy: {report.pages} pages, {report.files} files in {directory}")
