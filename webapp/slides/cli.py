"""flask slides add TALK_SLUG FILE | process | prune | worker"""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from webapp.core.background import run_until_signalled
from webapp.core.commands import committing, find_by_slug_or_fail
from webapp.extensions import db
from webapp.models import Talk

slides_cli = AppGroup("slides", help="Slide decks: add, process.")


def _run_pass() -> int:
    """One processing pass; safe beside the web processes' slide workers, on any host."""
    from webapp.slides.worker import run_pass

    return run_pass(current_app._get_current_object())


@slides_cli.command("add")
@click.argument("talk_slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True,
                                        path_type=Path))
@click.option("--licence", default=None,
              help="One of the licences the forms offer, such as CC-BY-4.0 (default: the talk's licence).")
@click.option("--background", is_flag=True,
              help="Leave the processing to the slide worker instead of doing it now.")
def add_command(talk_slug: str, file: Path, licence: str | None, background: bool) -> None:
    """Upload FILE as the new current slide deck of the talk TALK_SLUG."""
    from webapp.slides.operations import SlideUploadError, attach_slides

    with committing():
        talk = find_by_slug_or_fail(Talk, talk_slug)
        try:
            with open(file, "rb") as stream:
                deck = attach_slides(talk, stream, file.name, None, licence)
        except SlideUploadError as error:
            with force_locale("en"):
                raise click.ClickException(f"{error} ({error.status} {error.code})") from error
    click.echo(f"Deck {deck.id} added as version {deck.version} of {talk_slug} ({deck.kind}).")
    if not background:
        _run_pass()
        db.session.refresh(deck)
        click.echo(f"Deck {deck.id}: {deck.status}, {deck.page_count or 0} pages"
                   + (f" ({deck.error})" if deck.error else "") + ".")


@slides_cli.command("process")
def process_command() -> None:
    """Process the decks waiting for it (and resume interrupted ones), then exit."""
    count = _run_pass()
    click.echo(f"Decks processed: {count}")


@slides_cli.command("prune")
@click.option("--min-age", type=click.IntRange(min=0), default=3600, show_default=True,
              help="Keep files younger than this many seconds (uploads in progress).")
def prune_command(min_age: int) -> None:
    """Delete stored files that no slide deck or page refers to any more."""
    from webapp.slides.operations import prune_stored_files

    click.echo(f"Files removed: {prune_stored_files(min_age)}")


@slides_cli.command("worker")
def worker_command() -> None:
    """Run the slide worker in the foreground (with SLIDES_WORKER=off in the web processes); stops
    on SIGTERM/SIGINT once the deck under way is done."""
    from webapp.slides.worker import SlideWorker

    loop = SlideWorker(current_app._get_current_object())
    run_until_signalled(loop.run, loop.stop, "Slide worker running; Ctrl-C to stop.")
    click.echo("Stopped.")
