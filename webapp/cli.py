"""Command-line interface: flask demo | import | search | users ..."""
import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demonstration content.")
import_cli = AppGroup("import", help="Import archives from other formats.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(import_cli)


@demo_cli.command("load")
def demo_load():
    """Load the seed study day and the PyCon FR talks."""
    raise click.ClickException("not built yet")
