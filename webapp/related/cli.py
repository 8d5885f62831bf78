"""`flask related`: recompute every talk's related talks, drain the queue, or run the worker."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from webapp.core.background import run_until_signalled
from webapp.related.operations import drain_related_queue, queue_length, rebuild_related
from webapp.related.worker import RelatedWorker

related_cli = AppGroup("related", help="Related talks.")


@related_cli.command("rebuild")
def rebuild():
    """Recompute the related talks of every talk (text similarity reads the search index as it is)."""
    count = rebuild_related()  # commits a chunk of talks at a time
    click.echo(f"Related talks recomputed for {count} talk(s).")


@related_cli.command("status")
def status():
    """How many talks wait for their related talks to be recomputed."""
    click.echo(f"Queue length: {queue_length()}")


@related_cli.command("drain")
def drain():
    """Recompute what the queue holds now, then exit."""
    click.echo(f"Related talks: {drain_related_queue()} queue entrie(s) processed.")


@related_cli.command("worker")
@with_appcontext
def worker():
    """Drain the queue in the foreground (instead of the web workers); stops on SIGTERM/SIGINT."""
    loop = RelatedWorker(current_app._get_current_object())
    run_until_signalled(loop.run, loop.stop, "Related worker running; waiting to be elected and draining the queue.")
    click.echo("Related worker stopped.")
