"""`flask page-cache clear`: every cached page is out of date at once (after a deployment that
changed templates, or raw SQL the session's events could not see)."""
import click
from flask.cli import AppGroup

from webapp.page_cache.store import current_store

page_cache_cli = AppGroup("page-cache", help="The page cache for anonymous visitors.")


@page_cache_cli.command("clear")
def clear() -> None:
    """Start a new content generation: no page cached so far is served again."""
    store = current_store()
    if store is None:
        click.echo("The page cache is off (PAGE_CACHE=off): nothing to clear.")
        return
    generation = store.bump()
    click.echo(f"Page cache cleared: generation {generation.token}.")
