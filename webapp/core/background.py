"""Loops that one process runs for everybody, elected by an OS file lock.

The search index writer (webapp/search/writer.py), the slide worker (webapp/slides/worker.py) and
the statistics collector (webapp/stats/loop.py) are ElectedLoops: every web process runs one
thread of each, only the one holding the election lock (flock LOCK_EX|LOCK_NB) works, the others
retry the election every few seconds, so when the working process dies the OS frees the lock and
another one takes over. A command (`flask search worker`, `flask slides worker`) runs the same loop
in the foreground.

Each feature registers its loop in its init_app (`register_loop`). gunicorn.conf.py calls
`start_all` after each worker's fork, so the loops run before the first request, and `stop_all`
when the worker exits, so another process takes over at once. Loops also start lazily on a
process's first request (or first hit, for statistics) under any other server.
"""
import fcntl
import os
import signal
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask

LOOPS_EXTENSION_KEY = "causeries_background_loops"


def background_mode(config, key: str, modes: tuple[str, ...], under_testing: str) -> str:
    """A background job's mode setting (SEARCH_WRITER, SLIDES_WORKER, STATS_COLLECTOR): "auto" is
    `under_testing` in tests, else the first of `modes`, where processes elect one thread among
    themselves; anything else must be one of `modes`."""
    mode = config.get(key, "auto")
    if mode == "auto":
        return under_testing if config.get("TESTING") else modes[0]
    if mode not in modes:
        raise RuntimeError(f"{key} must be auto, {', '.join(modes)}")
    return mode


def _locked_descriptor(path: Path, blocking: bool) -> int | None:
    """An open descriptor holding an exclusive flock on `path`, or None if someone else holds it
    (not blocking). The OS releases the lock when the descriptor is closed or the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def file_lock(path: Path, blocking: bool = True):
    """An exclusive flock for the duration of the block. Raises BlockingIOError when not
    blocking and someone else holds it."""
    fd = _locked_descriptor(path, blocking)
    if fd is None:
        raise BlockingIOError(f"{path} is locked by another process")
    try:
        yield
    finally:
        os.close(fd)


class FileElection:
    """Holds the election lock (a file in `directory`) for as long as this process is elected."""

    def __init__(self, directory: Path, lock_name: str):
        self.path = directory / lock_name
        self._fd: int | None = None

    @property
    def is_held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        self._fd = _locked_descriptor(self.path, blocking=False)
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class ElectedLoop:
    """A loop that one process at a time runs: whoever holds the election lock works, the others
    retry the election. run() in the foreground (CLI) or start() as a daemon thread (web).
    Subclasses do one round of work in work_once() and return how much they did."""

    thread_name = "elected-loop"

    def __init__(self, app: Flask, election: FileElection, poll_seconds: float,
                 election_retry_seconds: float):
        self.app = app
        self.poll_seconds = poll_seconds
        self.election_retry_seconds = election_retry_seconds
        self.election = election
        self.pid = os.getpid()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10) -> None:
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                if not self.election.is_held and not self.election.try_acquire():
                    self._stopping.wait(self.election_retry_seconds)
                    continue
                if self.work_once() == 0:
                    self._stopping.wait(self.poll_seconds)
        finally:
            self.election.release()

    def work_once(self) -> int:
        raise NotImplementedError

    @classmethod
    def running(cls, current: "ElectedLoop | None", *args) -> "ElectedLoop":
        """`current` if its thread runs in this process, else a new loop of this class, started
        (again in a forked child, whose thread is gone). Callers hold START_LOCK."""
        if current is not None and current.pid == os.getpid() and current.is_running:
            return current
        loop = cls(*args)
        loop.start()
        return loop

    def stop_if_ours(self) -> None:
        """Stop the loop if this process started it (not a copy inherited through fork)."""
        if self.pid == os.getpid():
            self.stop()


def run_until_signalled(run: Callable[[], None], stop: Callable[[], None], started: str) -> None:
    """Say `started`, then run() in the foreground until SIGTERM or SIGINT (Ctrl-C) calls stop(),
    which lets the round of work under way end. The handlers are set first, so a signal sent once
    the command said it runs is never lost, even when it started with SIGINT ignored (from the
    background of a shell: Python then never turns Ctrl-C into KeyboardInterrupt)."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop())
    click.echo(started)
    run()


# One lock for starting any elected loop of this process.
START_LOCK = threading.Lock()


@dataclass(frozen=True)
class BackgroundLoop:
    """A feature's loop as the app runs it: whether its web processes run it (its mode setting),
    how to start it in this process once, and how to stop it."""

    name: str
    is_on: Callable[[Flask], bool]
    ensure: Callable[[Flask], object]
    stop: Callable[[Flask], None]
    start_on_request: bool = True


def _registered(app: Flask) -> dict[str, BackgroundLoop]:
    return app.extensions.setdefault(LOOPS_EXTENSION_KEY, {})


def register_loop(app: Flask, loop: BackgroundLoop) -> None:
    """Called by the feature's init_app; with start_on_request, the loop also starts on this
    process's first request (after any fork), when nothing started it before."""
    _registered(app)[loop.name] = loop
    if loop.start_on_request and loop.is_on(app):
        @app.before_request
        def start_background_loop() -> None:  # returns None: the request goes on
            loop.ensure(app)


def ensure_loop(app: Flask, name: str) -> None:
    """Start the registered loop `name` in this process if it runs here and is not running."""
    loop = _registered(app).get(name)
    if loop is not None and loop.is_on(app):
        loop.ensure(app)


def start_all(app: Flask) -> None:
    """Start every loop this app's web processes run (gunicorn's post_worker_init)."""
    for loop in _registered(app).values():
        if loop.is_on(app):
            loop.ensure(app)


def stop_all(app: Flask) -> None:
    """Stop this process's loops: an elected one finishes its round and frees the election."""
    for loop in _registered(app).values():
        if loop.is_on(app):
            loop.stop(app)
