"""Counting's cost on the talk page: gunicorn (as many workers as `make run`) on a free port, on a
database with the demo content, measured with wrk twice in one run: STATS_ENABLED=0, then =1.

Every request asks for one of many talk pages as a browser would, from one of many client
addresses (X-Forwarded-For, one trusted proxy), so counting does its whole work: bot check,
digest, pending queue, datagrams to the elected collector, repeat filter and batched upserts.
Prints requests/s and latency (the best of BENCH_STATS_ROUNDS alternated rounds, default 2) and
the cost in %. Target: under 10%. Asserts nothing. BENCH_STATS_SECONDS (default 15) sets each
measurement's length, WORKERS the worker count.
"""
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("WORKERS", "4"))
SECONDS = int(os.environ.get("BENCH_STATS_SECONDS", "15"))
ROUNDS = int(os.environ.get("BENCH_STATS_ROUNDS", "2"))
CONNECTIONS, THREADS, TALK_PAGES, CLIENT_ADDRESSES = 16, 4, 200, 5000
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

# Each wrk thread has its own Lua state: seed each one apart, or they would all send the same
# (page, address) sequence and most hits would be repeats.
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local threads = 0
wrk.headers["User-Agent"] = "%(browser)s"
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  math.randomseed(id * 7919 + os.time())
  counter = id * 997
end
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local n = math.random(1, %(addresses)d)
  wrk.headers["X-Forwarded-For"] = "10." .. (n %% 250) .. "." .. math.floor(n / 250) .. ".7"
  return wrk.format("GET", path)
end
"""


def free_port() -> int:
    for port in range(8100, 9000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100-8999")


def prepare_database(env: dict) -> list[str]:
    """Migrate and load the demo; the talk pages to request."""
    flask = [str(BIN / "flask"), "--app", "webapp"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "load"], env=env, cwd=ROOT, check=True, capture_output=True)
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as connection:
        slugs = [slug for (slug,) in connection.execute(
            "SELECT slug FROM talks WHERE status = 'published' ORDER BY id LIMIT ?", (TALK_PAGES,))]
    return [f"/talks/{slug}" for slug in slugs]


def wait_until_up(base: str, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def run_wrk(base: str, script: Path, seconds: int) -> str:
    return subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", "--latency",
         "-s", str(script), base],
        check=True, capture_output=True, text=True).stdout


def figures(output: str) -> dict:
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": latency.get("50"), "p90": latency.get("90"), "p99": latency.get("99"),
            "errors": int(errors.group(1)) if errors else 0}


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time of gunicorn's workers so far: the cost per request, whatever else the machine runs."""
    workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in workers:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measure(env: dict, stats_enabled: bool, script: Path, first_path: str) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        env={**env, "STATS_ENABLED": "1" if stats_enabled else "0"}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(base, first_path)
        run_wrk(base, script, 3)  # warm-up: every worker has loaded its templates and caches
        cpu_before = server_cpu_seconds(server)
        result = figures(run_wrk(base, script, SECONDS))
        result["cpu_ms"] = 1000 * (server_cpu_seconds(server) - cpu_before) / (result["rps"] * SECONDS)
        return result
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def counted(env: dict) -> int:
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT COALESCE(SUM(count), 0) FROM daily_counts").fetchone()[0]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="causeries-stats-bench-") as tmp:
        env = {**os.environ, "SECRET_KEY": "bench-secret", "DATABASE_URL": f"sqlite:///{tmp}/site.db",
               "SEARCH_INDEX_DIR": f"{tmp}/search-index", "UPLOAD_DIR": f"{tmp}/uploads",
               "TRUSTED_PROXY_COUNT": "1", "PYTHONPATH": str(ROOT)}
        paths = prepare_database(env)
        script = Path(tmp) / "talks.lua"
        script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths),
                                        "browser": BROWSER, "addresses": CLIENT_ADDRESSES})
        print(f"talk pages: {len(paths)}, gunicorn workers: {WORKERS}, wrk: {THREADS} threads, "
              f"{CONNECTIONS} connections, {SECONDS} s per run, best of {ROUNDS}")
        runs = {False: [], True: []}
        for _round in range(ROUNDS):  # alternated, so that a busy machine weighs on both alike
            for enabled in (False, True):
                runs[enabled].append(measure(env, enabled, script, paths[0]))
        without, with_counting = (max(runs[enabled], key=lambda r: r["rps"]) for enabled in (False, True))
        for enabled in (False, True):  # CPU per request: the lowest of the rounds
            best = min(runs[enabled], key=lambda r: r["cpu_ms"])
            (with_counting if enabled else without)["cpu_ms"] = best["cpu_ms"]
        for label, result in (("counting off", without), ("counting on", with_counting)):
            print(f"{label:>13}: {result['rps']:8.1f} req/s  p50 {result['p50']}  p90 {result['p90']}  "
                  f"p99 {result['p99']}  non-2xx {result['errors']}  "
                  f"server CPU {result['cpu_ms']:.1f} ms/request")
        cost = 100 * (without["rps"] - with_counting["rps"]) / without["rps"]
        cpu_cost = 100 * (with_counting["cpu_ms"] - without["cpu_ms"]) / without["cpu_ms"]
        print(f"counting cost: {cost:.1f}% of throughput, {cpu_cost:.1f}% of server CPU per request "
              f"(target < 10%); views written by the collector: {counted(env)}")


if __name__ == "__main__":
    main()
