"""Search: the /search page, the search API, and the index that follows the database.

Every change to a row a search document draws on is written to the search log (outbox.py) in the
same transaction; on each host one elected writer (writer.py) applies the log after its index's
cursor to the index (indexing.py), and prunes what every index has applied (log_pruning.py).
"""
from flask import Blueprint, Flask

bp = Blueprint("search", __name__)


def init_app(app: Flask) -> None:
    """Routes, `flask search`, the outbox hooks on every session, and the background writer."""
    from webapp.core.background import register_loop
    from webapp.extensions import db
    from webapp.search import api, views  # noqa: F401  (routes: /search and /api/v1/search)
    from webapp.search.cli import search_cli
    from webapp.search.indexing import EXTENSION_KEY, SearchState
    from webapp.search.outbox import install_outbox
    from webapp.search.writer import INDEX_WRITER_LOOP

    install_outbox(db.session)
    app.extensions[EXTENSION_KEY] = SearchState(app.config["SEARCH_INDEX_DIR"], app.config["SEARCH_QUERY_SECONDS"],
                                                app.config["SEARCH_RESULT_CACHE_SIZE"], app.config["SEARCH_INDEX_NAME"])
    register_loop(app, INDEX_WRITER_LOOP)
    app.register_blueprint(bp)
    app.cli.add_command(search_cli)
