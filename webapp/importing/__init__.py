"""Filling the archive from other formats: `flask import pyvideo DIR` and `flask demo load`."""
from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.importing.cli import demo_cli, import_cli

    app.cli.add_command(import_cli)
    app.cli.add_command(demo_cli)
