"""Gunicorn settings for Causeries (read automatically from the working directory).

`make serve` gives --workers and --bind on the command line. Each worker starts the background
loops after the fork (the search index writer, the slide worker, the statistics collector: see
webapp/core/background.py); the workers elect one process per loop through a file lock, and
another takes over when that worker exits.
Run `flask db upgrade` before starting gunicorn: migrations never run inside the app.

Each server has its own control socket (for `gunicornc`), in the instance folder and named after
the address it listens on: instance/gunicorn-127.0.0.1-8000.ctl. Gunicorn's default, one
~/.gunicorn/gunicorn.ctl per user, let a second server remove the first one's. An explicit
--control-socket or --no-control-socket is kept as given.
"""
import re
from pathlib import Path

worker_class = "sync"
timeout = 30
graceful_timeout = 20
# A worker is replaced after this many requests (a guard against slow leaks), not more often: its
# start costs about 0.75 s of CPU (imports and create_app), which every 2,000 requests was a third
# of the CPU at the page cache's speed, and it hands the worker's elected background loops (the
# search writer, the statistics collector) to another worker.
max_requests = 100_000
max_requests_jitter = 10_000
preload_app = False
forwarded_allow_ips = "127.0.0.1"
# The access log (`make serve` writes it to stdout) names no client address, user agent, referrer
# or user: the time, the request line, the status, the size and the duration only.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


def instance_control_socket(bind: str) -> str:
    """This server's control socket: instance/gunicorn-<host>-<port>.ctl."""
    return str(INSTANCE_DIR / f"gunicorn-{re.sub(r'[^A-Za-z0-9.]+', '-', bind).strip('-')}.ctl")


def on_starting(server):
    """Unless told otherwise, give this server a control socket of its own."""
    from gunicorn.config import ControlSocket

    if server.cfg.control_socket == ControlSocket.default and not server.cfg.control_socket_disable:
        INSTANCE_DIR.mkdir(exist_ok=True)
        server.cfg.set("control_socket", instance_control_socket(server.cfg.bind[0]))


def _flask_app(worker):
    """The worker's Flask app (wsgi:app), once loaded."""
    app = getattr(worker, "wsgi", None)
    return app if hasattr(app, "extensions") else None


def post_worker_init(worker):
    """Start this worker's background loops now rather than on its first request or hit."""
    from webapp.core.background import start_all

    if (app := _flask_app(worker)) is not None:
        start_all(app)


def worker_exit(server, worker):
    """Stop them promptly: an elected loop finishes its round and another worker takes over."""
    from webapp.core.background import stop_all

    if (app := _flask_app(worker)) is not None:
        stop_all(app)
