"""Gunicorn settings for Causeries (read automatically from the working directory).

`make serve` gives --workers and --bind on the command line. Each worker starts its search index
writer thread after the fork; the workers elect one writer among themselves through a file lock
(webapp/services/index_writer.py), and another takes over if that worker exits. The statistics
collector is elected the same way (webapp/services/stats_loop.py).
Run `flask db upgrade` before starting gunicorn: migrations never run inside the app.
"""
worker_class = "sync"
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
preload_app = False
forwarded_allow_ips = "127.0.0.1"
# The access log (`make serve` writes it to stdout) names no client address, user agent, referrer
# or user: the time, the request line, the status, the size and the duration only.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


def _search_writer_functions():
    from webapp.services.index_writer import ensure_index_writer, stop_index_writer
    from webapp.services.indexing import EXTENSION_KEY, writer_mode

    return ensure_index_writer, stop_index_writer, EXTENSION_KEY, writer_mode


def post_worker_init(worker):
    """Start this worker's search writer thread now rather than on its first request."""
    ensure_index_writer, _stop, extension_key, writer_mode = _search_writer_functions()
    app = getattr(worker, "wsgi", None)
    if app is not None and extension_key in getattr(app, "extensions", {}):
        if writer_mode(app) == "thread":
            ensure_index_writer(app)
    post_fork_slides(worker)
    post_fork_stats(worker)


def worker_exit(server, worker):
    """Release the writer election promptly so another worker takes over."""
    _ensure, stop_index_writer, extension_key, _mode = _search_writer_functions()
    app = getattr(worker, "wsgi", None)
    if app is not None and extension_key in getattr(app, "extensions", {}):
        stop_index_writer(app)
    exit_slides(worker)
    exit_stats(worker)


def _slide_worker_app(worker):
    """The worker's Flask app when it runs the slide worker thread (SLIDES_WORKER), else None."""
    from webapp.slides import worker_mode

    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "extensions") or worker_mode(app) != "thread":
        return None
    return app


def post_fork_slides(worker):
    """Start the slide worker at once: decks left processing resume after a restart even if no
    request comes in (webapp/slides/worker.py; one worker is elected through a file lock)."""
    from webapp.slides.worker import ensure_slide_worker

    if (app := _slide_worker_app(worker)) is not None:
        ensure_slide_worker(app)


def exit_slides(worker):
    from webapp.slides.worker import stop_slide_worker

    if (app := _slide_worker_app(worker)) is not None:
        stop_slide_worker(app)


def _stats_app(worker):
    """The worker's Flask app when it counts through the elected collector, else None."""
    from webapp.services.stats_collector import collector_mode

    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "config") or not app.config.get("STATS_ENABLED"):
        return None
    return app if collector_mode(app) == "thread" else None


def post_fork_stats(worker):
    """Join the statistics collector election at once (webapp/services/stats_loop.py): the
    collector is listening before the first hit, and hits buffered elsewhere get delivered."""
    from webapp.services.stats_loop import ensure_stats_loop

    if (app := _stats_app(worker)) is not None:
        ensure_stats_loop(app)


def exit_stats(worker):
    """The collector writes what it holds; the others send theirs."""
    from webapp.services.stats_loop import stop_stats_loop

    if (app := _stats_app(worker)) is not None:
        stop_stats_loop(app)
