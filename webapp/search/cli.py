"""`flask search rebuild | check | status | prune | worker`."""
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from tqdm import tqdm

from webapp.core.background import run_until_signalled
from webapp.extensions import db
from webapp.models._base import utcnow
from webapp.search import indexing
from webapp.search.log_pruning import prune_log, pruned_through
from webapp.search.writer import IndexWriter, is_writer_elected

search_cli = AppGroup("search", help="The search index: rebuild, check, status, prune, writer.")
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
    cursor = indexing.index_cursor(indexing.get_search_index())
    click.echo(f"Indexed {total} documents (log cursor {cursor}). "
               "Changes logged since are applied by the writer.")


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
    """This host's index (cursor, entries not applied yet, documents, schema), then every index
    following the search log with its cursor and lag."""
    state = indexing.index_status()
    lags, pruned = indexing.index_lags(), pruned_through()
    db.session.rollback()
    identity = indexing.search_state().identity
    click.echo(f"Index: {identity.name} (host {identity.host}, {identity.index_dir})")
    click.echo(f"Log cursor: {state.log_cursor}")
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
    _echo_index_lags(lags, pruned)


def _age(since: datetime | None) -> str:
    return f"{(utcnow() - since).total_seconds():.0f} s" if since else "-"


def _echo_index_lags(lags, pruned: int) -> None:
    click.echo(f"Indexes following the search log ({len(lags)}; log pruned through id {pruned}):")
    for lag in lags:
        click.echo(f"  {lag.name}  host {lag.host}  dir {lag.index_dir}  cursor {lag.log_cursor}  "
                   f"behind {lag.behind} entries  oldest unapplied {_age(lag.oldest_unapplied_at)}")


@search_cli.command("prune")
def prune():
    """Delete the log entries every registered index has applied, and those older than
    SEARCH_LOG_RETENTION_DAYS (the search writer does it every few minutes)."""
    try:
        pruned = prune_log(current_app.config["SEARCH_LOG_RETENTION_DAYS"])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    click.echo(f"Pruned {pruned} log entries; the log is pruned through id {pruned_through()}.")
    db.session.rollback()


@search_cli.command("worker")
@with_appcontext
def worker():
    """Drain the queue in the foreground (instead of the web workers); stops on SIGTERM/SIGINT."""
    writer = IndexWriter(current_app._get_current_object())
    run_until_signalled(writer.run, writer.stop, "Search writer running; waiting to be elected and draining the queue.")
    click.echo("Search writer stopped.")
