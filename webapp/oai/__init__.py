"""OAI-PMH 2.0 at /oai: every public talk as an oai_dc record, for harvesters (library catalogues,
aggregators).

- views.py: the endpoint (GET and POST); protocol.py: its arguments and errors; verbs.py: the six
  verbs; responses.py and dublin_core.py: the XML, built with lxml; tokens.py: signed, dated
  resumption tokens;
- operations.py and tracking.py: the oai_records rows (webapp/models/oai_record.py), recomputed in
  the transaction of every change to what a record shows; tombstones outlive their talks;
- queries.py: what the verbs read; cli.py: `flask oai rebuild`.
"""
import os
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import Blueprint, Flask

from webapp.extensions import csrf

bp = Blueprint("oai", __name__)
csrf.exempt(bp)

# name -> (default, parse); read from the environment (or with the CAUSERIES_ prefix), as config.py does.
SETTINGS = {"OAI_PAGE_SIZE": (200, int), "OAI_TOKEN_SECONDS": (3600, int), "OAI_ADMIN_EMAIL": (None, str)}


def _configure(app: Flask) -> None:
    for name, (default, parse) in SETTINGS.items():
        raw = os.environ.get(name, os.environ.get("CAUSERIES_" + name))
        app.config.setdefault(name, parse(raw) if raw else default)
    if not app.config["OAI_ADMIN_EMAIL"]:
        sender = parseaddr(str(app.config.get("MAIL_DEFAULT_SENDER") or ""))[1]
        host = urlsplit(app.config["SITE_URL"]).hostname or "localhost"
        app.config["OAI_ADMIN_EMAIL"] = sender or f"noreply@{host}"


def init_app(app: Flask) -> None:
    from webapp.extensions import db
    from webapp.oai import views  # noqa: F401  (routes)
    from webapp.oai.cli import oai_cli
    from webapp.oai.tracking import install_tracking

    _configure(app)
    app.register_blueprint(bp)
    app.cli.add_command(oai_cli)
    install_tracking(db.session)
