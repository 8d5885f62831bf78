"""Exporting the archive: `flask export archive` (a full backup that `flask import archive`
restores) and `flask export static` (an offline copy of the public site)."""
from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.exporting.cli import export_cli

    app.cli.add_command(export_cli)
