"""Related talks: up to five public talks related to each talk, computed once per change, not per request.

Every change a list draws on queues the talk in the related outbox in the same transaction
(tracking.py); an elected worker recomputes the neighbourhood after the commit (worker.py,
operations.py) with the ranking of ranking.py; the talk page reads the stored list, filtered by
visibility again (queries.py). `flask related rebuild` recomputes everything.
"""
from flask import Blueprint, Flask

bp = Blueprint("related", __name__)


def init_app(app: Flask) -> None:
    """The outbox hooks on every session, the worker, `flask related`, the talk page's template global."""
    from webapp.core.background import register_loop
    from webapp.extensions import db
    from webapp.related.cli import related_cli
    from webapp.related.queries import related_talks
    from webapp.related.tracking import install_tracking
    from webapp.related.worker import RELATED_WORKER_LOOP

    install_tracking(db.session)
    register_loop(app, RELATED_WORKER_LOOP)
    app.add_template_global(related_talks, "related_talks")
    app.register_blueprint(bp)
    app.cli.add_command(related_cli)
