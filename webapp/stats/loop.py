"""Statistics across processes: one collector per database, elected by a file lock.

Every web process runs a StatsLoop thread (started after gunicorn's fork, or on the first hit).
The one holding the election lock binds a Unix datagram socket and collects: it tallies its own
pending hits and the datagrams the others send, and writes the tally every STATS_FLUSH_SECONDS.
The others send their pending hits every SEND_SECONDS, many hits per datagram, without blocking;
if nobody listens yet (or the socket is full) the hits stay pending (bounded) and go next round.
When the collector's process exits, the OS frees the lock and another process takes over.

The socket and the lock are named after the database URL, in a private directory: processes that
write to the same database share one collector, so the repeat filter sees all of a visitor's hits.
"""
import hashlib
import logging
import os
import socket
import stat
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask

from webapp.core.background import START_LOCK, BackgroundLoop, ElectedLoop, FileElection
from webapp.stats.collector import STATS_LOOP_NAME, collector_mode, decode_hits, encode_hits, stats_state

SEND_SECONDS = 0.25
ELECTION_RETRY_SECONDS = 2.0
DATAGRAM_BYTES = 60_000  # the hits of one datagram (at least one hit, whatever its size)
MAX_DATAGRAM_BYTES = 65536
log = logging.getLogger(__name__)


def private_socket_dir(app: Flask) -> Path:
    """STATS_SOCKET_DIR, or a directory of the temp dir only this user can enter."""
    if app.config.get("STATS_SOCKET_DIR"):
        return Path(app.config["STATS_SOCKET_DIR"])
    directory = Path(tempfile.gettempdir()) / f"causeries-stats-{os.getuid()}"
    directory.mkdir(mode=0o700, exist_ok=True)
    info = directory.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{directory} must be a directory private to this user")
    return directory


def collector_name(app: Flask) -> str:
    """One collector per database."""
    return hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:24]


class StatsLoop(ElectedLoop):
    """Collect while elected; otherwise send this process's hits to the collector."""

    thread_name = "stats-collector"

    def __init__(self, app: Flask):
        directory = private_socket_dir(app)
        name = collector_name(app)
        super().__init__(app, FileElection(directory, f"{name}.lock"), SEND_SECONDS,
                         ELECTION_RETRY_SECONDS)
        self.state = stats_state(app)
        self.socket_path = str(directory / f"{name}.sock")
        self.flush_seconds = float(app.config["STATS_FLUSH_SECONDS"])
        self._sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sender.setblocking(False)
        self._receiver: socket.socket | None = None
        self._send_lock = threading.Lock()

    def run(self) -> None:
        next_election, next_flush = 0.0, time.monotonic() + self.flush_seconds
        try:
            while not self._stopping.is_set():
                if not self.election.is_held and time.monotonic() >= next_election:
                    next_election = time.monotonic() + self.election_retry_seconds
                    if self.election.try_acquire():
                        self._become_collector()
                if self.election.is_held:
                    next_flush = self._collect_round(next_flush)
                else:
                    self.send_pending()
                    self._stopping.wait(self.poll_seconds)
        finally:
            self._shut_down()

    # --- collector side ---

    def _become_collector(self) -> None:
        """We hold the lock, so a socket file left there belongs to a dead collector."""
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.bind(self.socket_path)
        os.chmod(self.socket_path, 0o600)
        self._receiver = receiver
        self.state.start_collecting()
        log.info("statistics collector elected in process %s", os.getpid())

    def _collect_round(self, next_flush: float) -> float:
        """Receive until the next send period ends; write when the flush is due."""
        self._receive_until(time.monotonic() + self.poll_seconds)
        self.state.add_hits(self.state.take_pending())
        if time.monotonic() < next_flush:
            return next_flush
        self._write_safely()
        return time.monotonic() + self.flush_seconds

    def _receive_until(self, deadline: float) -> None:
        while (remaining := deadline - time.monotonic()) > 0 and not self._stopping.is_set():
            self._receiver.settimeout(remaining)
            try:
                data = self._receiver.recv(MAX_DATAGRAM_BYTES)
            except (TimeoutError, BlockingIOError):
                return
            self.state.add_hits(decode_hits(data))

    def _drain_socket(self) -> None:
        self._receiver.setblocking(False)
        while True:
            try:
                self.state.add_hits(decode_hits(self._receiver.recv(MAX_DATAGRAM_BYTES)))
            except (BlockingIOError, InterruptedError):
                return

    def _write_safely(self) -> None:
        try:
            self.state.write_tally()
        except Exception:
            log.exception("writing statistics failed; the counts wait for the next flush")

    def _shut_down(self) -> None:
        """Collector: take what arrived and write it before handing the election over.
        Sender: one last send."""
        try:
            if self._receiver is not None:
                self._drain_socket()
                self.state.add_hits(self.state.take_pending())
                self._write_safely()
                self._receiver.close()
                self._receiver = None
                os.unlink(self.socket_path)
                self.state.stop_collecting()
            else:
                self.send_pending()
        finally:
            self.election.release()
            self._sender.close()

    # --- sender side ---

    def send_pending(self) -> None:
        """Send the pending hits, many per datagram; what cannot be sent stays pending."""
        with self._send_lock:
            while hits := self._take_batch():
                try:
                    self._sender.sendto(encode_hits(hits), self.socket_path)
                except OSError:  # nobody listens yet, or the collector's queue is full
                    self.state.pending.extendleft(reversed(hits))
                    return

    def _take_batch(self) -> list[tuple]:
        """Pending hits that fit in one datagram."""
        hits, size = [], 2
        while size < DATAGRAM_BYTES:
            try:
                hit = self.state.pending.popleft()
            except IndexError:
                break
            size += len(encode_hits(hit)) + 1
            if hits and size > DATAGRAM_BYTES:
                self.state.pending.appendleft(hit)
                break
            hits.append(hit)
        return hits


def ensure_stats_loop(app: Flask) -> StatsLoop:
    """Start this process's loop thread once."""
    state = stats_state(app)
    with START_LOCK:
        state.loop = StatsLoop.running(state.loop, app)
    return state.loop


def stop_stats_loop(app: Flask) -> None:
    """Write (collector) or send (others) what is pending, then release the election."""
    if (loop := stats_state(app).loop) is not None:
        loop.stop_if_ours()


def _collects_in_threads(app: Flask) -> bool:
    return bool(app.config.get("STATS_ENABLED")) and collector_mode(app) == "thread"


# Started after gunicorn's fork, or by the process's first hit (StatsState.record), not by requests.
STATS_LOOP = BackgroundLoop(
    name=STATS_LOOP_NAME,
    is_on=_collects_in_threads,
    ensure=ensure_stats_loop,
    stop=stop_stats_loop,
    start_on_request=False,
)
