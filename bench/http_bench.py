"""Serving and loading for the HTTP benchmarks (bench/pages.py, bench/search.py): gunicorn with the
project's settings (gunicorn.conf.py: sync workers, WORKERS of them, as `make serve`) on a free
port, wrk over a list of paths, a client that sends one request at a time, and the workers' CPU
time and memory read from /proc. Prints nothing.
"""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("WORKERS", "4"))
CONNECTIONS, THREADS = 16, 4
START_SECONDS = 120

# Each wrk thread walks the list from its own place (its own Lua state).
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  counter = id * 997
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A running gunicorn: its base URL, and what its workers used."""

    def __init__(self, process: subprocess.Popen, base: str):
        self.process, self.base = process, base
        self.peak_worker_rss_mb = 0.0
        self._sampling = threading.Event()

    def worker_pids(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def cpu_seconds(self) -> float:
        """CPU time of the workers so far, the exited ones included (gunicorn restarts a worker
        after max_requests): the cost of the requests, whatever else the machine runs."""
        ticks = _stat_fields(self.process.pid)[13:15]  # cutime, cstime: the workers it reaped
        for pid in self.worker_pids():
            ticks += _stat_fields(pid)[11:13]  # utime, stime
        return sum(ticks) / os.sysconf("SC_CLK_TCK")

    def sample_rss(self) -> None:
        for pid in self.worker_pids():
            self.peak_worker_rss_mb = max(self.peak_worker_rss_mb, rss_mb(pid))

    @contextmanager
    def sampling_rss(self, every_seconds: float = 0.5):
        """Sample the workers' resident memory while the block runs (peak_worker_rss_mb)."""
        self._sampling.clear()

        def sample():
            while not self._sampling.wait(every_seconds):
                self.sample_rss()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            yield
        finally:
            self._sampling.set()
            sampler.join()


def _stat_fields(pid: int) -> list[int]:
    """/proc/<pid>/stat after the command name, as integers where they are (state left out)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # exited meanwhile
        return [0] * 20
    return [0] + [int(value) if value.lstrip("-").isdigit() else 0 for value in fields[1:]]


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


@contextmanager
def gunicorn(target: str, env: dict, ready_path: str = "/"):
    """gunicorn serving `target` (module:app or module:factory()) with gunicorn.conf.py and WORKERS
    sync workers, once `ready_path` answers 200; stopped (SIGTERM) at the end of the block."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", target],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        _wait_until_up(server, ready_path)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def _wait_until_up(server: Server, path: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.process.stderr.read()[-3000:]}")
        try:
            with urllib.request.urlopen(server.base + path, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {path} within {START_SECONDS} s")


def wrk(base: str, paths: list[str], seconds: float) -> dict:
    """wrk at CONNECTIONS connections over `paths` in turn: {"rps", "p50", "p99", "errors"} (answers
    other than 2xx or 3xx, and socket errors: timeouts, resets)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in paths)})
    try:
        output = subprocess.run(
            ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
             "--latency", "-s", script.name, base], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(script.name)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": latency.get("50"), "p99": latency.get("99"),
            "errors": (int(errors.group(1)) if errors else 0)
            + (sum(map(int, socket_errors.groups())) if socket_errors else 0)}


def request_each(base: str, paths: list[str], sizes: list[int] | None = None) -> list[float]:
    """Each path requested once, one request at a time on one kept-alive connection: the seconds
    each took (status and body read; their sizes appended to `sizes`). Raises on any status but 200."""
    host, port = base.removeprefix("http://").split(":")
    connection, latencies = http.client.HTTPConnection(host, int(port), timeout=60), []
    try:
        for path in paths:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            latencies.append(time.perf_counter() - started)
            if sizes is not None:
                sizes.append(len(body))
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
    finally:
        connection.close()
    return latencies


def request_concurrently(base: str, paths: list[str], connections: int = CONNECTIONS) -> None:
    """The paths requested by `connections` clients at once (warms every worker, not one)."""
    threads = [threading.Thread(target=request_each, args=(base, paths[n::connections]))
               for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
