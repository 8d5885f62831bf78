"""`flask search rebuild | check | status | worker`."""
import signal

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from tqdm import tqdm

from webapp.extensions import db
from webapp.search import indexing
from webapp.search.writer import IndexWriter, is_writer_elected

search_cli = AppGroup("search", help="The search index: rebuild, check, status, writer.")
SAMPLE_SIZE = 20


@search_cli.command("rebuild")
def rebuild():
    """Build a fresh index beside the live one, then swap it in; search keeps answering."""
    with tqdm(unit="doc", desc="Indexing", disable=None) as bar:
        def progress(done, total=None):
            bar.total = total or bar.total
            bar.update(done - bar.n)
        total = indexing.rebuild_index(progress=progress)
    db.session.rollback()  # read-only: end the snapshot transaction
    click.echo(f"Indexed {total} documents. Changes queued meanwhile are drained by the writer.")


def _stale_schema_message() -> str:
    """What to say of an index built with another schema: who brings it up to date."""
    if is_writer_elected(current_app):
        return "the index was built with an older schema; it is being rebuilt by the search writer"
    return ("the index was built with an older schema and no search writer is running: "
            "run `flask search rebuild` (or start the writer, which rebuilds it by itself)")


def _schema_summary(schema) -> str:
    if schema.generation is None:
        return "-"
    return f"outdated: {_stale_schema_message()}" if schema.is_stale else "current"


def _echo_sample(title: str, doc_ids: list[str]) -> None:
    if doc_ids:
        shown = ", ".join(doc_ids[:SAMPLE_SIZE]) + (" …" if len(doc_ids) > SAMPLE_SIZE else "")
        click.echo(f"{title}: {len(doc_ids)} ({shown})")


@search_cli.command("check")
def check():
    """Compare the index with the database; exits 1 if documents are missing, stale or extra, or if
    the index was built with an older schema."""
    report = indexing.check_index()
    queued = indexing.queue_length()
    db.session.rollback()
    _echo_sample("Missing", report.missing)
    _echo_sample("Stale", report.stale)
    _echo_sample("Extra", report.extra)
    if queued:
        click.echo(f"{queued} changes are queued and not indexed yet.")
    if report.is_schema_stale:
        raise click.ClickException(_stale_schema_message())
    if not report.is_consistent:
        raise click.ClickException("the index differs from the database: run `flask search rebuild`")
    click.echo("The index matches the database.")


@search_cli.command("status")
def status():
    """Queue length, document count, last update, whether the schema is current."""
    state = indexing.index_status()
    db.session.rollback()
    click.echo(f"Queue length: {state.queue_length}")
    if state.oldest_queued_at:
        click.echo(f"Oldest queued change: {state.oldest_queued_at.isoformat()}")
    click.echo(f"Documents: {state.doc_count}")
    last = state.last_modified.isoformat() if state.last_modified else "never"
    click.echo(f"Last update: {last}")
    click.echo(f"Generation: {state.generation or '-'}")
    fragmented = " (fragmented: the search writer merges them once the queue is drained)"
    click.echo(f"Segments: {state.segments}{fragmented if state.is_fragmented else ''}")
    click.echo(f"Schema: {_schema_summary(state.schema)}")


@search_cli.command("worker")
@with_appcontext
def worker():
    """Drain the queue in the foreground (instead of the web workers); stops on SIGTERM/SIGINT."""
    writer = IndexWriter(current_app._get_current_object())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: writer.stop())
    click.echo("Search writer running; waiting to be elected and draining the queue.")
    writer.run()
    click.echo("Search writer stopped.")
