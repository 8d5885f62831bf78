"""Filling the archive from other formats: `flask import pyvideo DIR` and `flask demo load`."""
from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.core.background import register_loop
    from webapp.importing import (
        schedule_views,  # schedule.xml downloads, and the workspace's schedule import
        spreadsheet_views,
    )
    from webapp.importing.cli import demo_cli, import_cli
    from webapp.importing.spreadsheet_worker import SPREADSHEET_WORKER_LOOP

    app.register_blueprint(schedule_views.bp)
    app.register_blueprint(schedule_views.manage_bp)
    app.register_blueprint(spreadsheet_views.bp)
    register_loop(app, SPREADSHEET_WORKER_LOOP)
    app.cli.add_command(import_cli)
    app.cli.add_command(demo_cli)
