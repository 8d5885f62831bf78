"""`flask oai rebuild`: recompute every OAI record (changes keep them current by themselves; this
is for changes made with raw SQL). Records whose content did not change keep their datestamp."""
import click
from flask.cli import AppGroup

from webapp.core.commands import committing
from webapp.oai.operations import rebuild_records
from webapp.oai.queries import count_by_state

oai_cli = AppGroup("oai", help="The OAI-PMH records.")


@oai_cli.command("rebuild")
def rebuild():
    """Recompute every record from the archive."""
    from webapp.extensions import db

    with committing():
        rebuild_records(db.session)
    live, deleted = count_by_state()
    click.echo(f"OAI records rebuilt: {live} live, {deleted} deleted.")
