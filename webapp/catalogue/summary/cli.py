"""flask summary check | rebuild"""
import click
from flask.cli import AppGroup

from webapp.catalogue.summary.rebuild import differences, rebuild
from webapp.core.commands import committing
from webapp.extensions import db

summary_cli = AppGroup("summary", help="The archive's summary data: counts and orderings the public pages read.")


@summary_cli.command("check")
def check_command() -> None:
    """Compare the stored summary data with a recomputation; fails when they differ."""
    found = differences(db.session)
    db.session.rollback()
    if found:
        listed = ", ".join(f"{name}: {count} rows" for name, count in sorted(found.items()))
        raise click.ClickException(f"The summary data is stale ({listed}); run `flask summary rebuild`.")
    click.echo("The summary data is current.")


@summary_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute all the summary data from the archive (after raw SQL the tracking could not see)."""
    with committing():
        rebuild(db.session)
    click.echo("The summary data was recomputed.")
