"""Page throughput: Causeries' talk, event, tag, home and search pages against a Flask hello-world,
all served by the same gunicorn settings (gunicorn.conf.py, WORKERS sync workers, 4 by default) and
loaded by wrk at 16 connections, at several archive sizes, page cache warm and off.

For each size (BENCH_PAGE_SIZES, default 500,20000,100000 talks) a site is built (bench/web_archive.py:
plain INSERTs, summary data recomputed, index rebuilt), then measured twice: "warm", the default
settings (PAGE_CACHE=filesystem), each page requested once before measuring; "off", PAGE_CACHE=off
and SEARCH_RESULT_CACHE_SIZE=0, every cache off. Until the page cache exists, the two columns
measure the same thing. Each page kind is a list of BENCH_PAGE_PATHS paths (default 20: the events
and tags with most talks, talks across the archive, one word per search) that wrk walks in turn for
BENCH_SECONDS (default 20) after a short warm-up. Prints requests/s, the share of the hello-world's,
the workers' CPU per request and their peak resident memory, then the issue's targets. Asserts nothing.
"""
import os
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import quote

from bench.http_bench import WORKERS, gunicorn, request_concurrently, wrk
from bench.search_corpus import FRENCH_WORDS
from bench.web_archive import build_site, site_settings

SIZES = [int(size) for size in os.environ.get("BENCH_PAGE_SIZES", "500,20000,100000").split(",") if size.strip()]
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
PATHS_PER_PAGE = int(os.environ.get("BENCH_PAGE_PATHS", "20"))
WARM_UP_SECONDS = min(3.0, SECONDS)
MODES = {"warm": {}, "off": {"PAGE_CACHE": "off", "SEARCH_RESULT_CACHE_SIZE": "0"}}
PAGES = ("talk", "event", "tag", "home", "search")
LISTED_PAGES = ("talk", "event", "tag", "home")
TARGETS = {"warm": 60, "off": 15, "search": 30}  # % of the hello-world's requests/s
HOME_FLAT_PERCENT, RSS_LIMIT_MB, RSS_AT = 20, 300, 100_000


def page_paths(app, count: int) -> dict[str, list[str]]:
    """`count` paths of each page kind: the events and tags with most talks (the pages that would
    grow with the archive), talks spread over it, searches for words of every frequency."""
    from sqlalchemy import func, select

    from webapp.extensions import db
    from webapp.models import Event, Tag, Talk, talk_tags

    with app.app_context():
        talks = db.session.scalars(select(Talk.slug).order_by(Talk.id)).all()
        events = db.session.scalars(select(Event.slug).join(Talk, Talk.event_id == Event.id).group_by(Event.id)
                                    .order_by(func.count(Talk.id).desc()).limit(count)).all()
        tags = db.session.scalars(select(Tag.name).join(talk_tags, talk_tags.c.tag_id == Tag.id).group_by(Tag.id)
                                  .order_by(func.count().desc()).limit(count)).all()
        db.session.rollback()
    words = FRENCH_WORDS[::max(1, len(FRENCH_WORDS) // count)][:count]
    return {"talk": [f"/talks/{quote(slug)}" for slug in talks[::max(1, len(talks) // count)][:count]],
            "event": [f"/events/{quote(slug)}" for slug in events],
            "tag": [f"/tags/{quote(name)}" for name in tags],
            "home": ["/"],
            "search": [f"/search?q={quote(word)}" for word in words]}


def measure(server, paths: list[str]) -> dict:
    """wrk over `paths` after a warm-up; with the workers' CPU time per request."""
    wrk(server.base, paths, WARM_UP_SECONDS)
    cpu_before = server.cpu_seconds()
    result = wrk(server.base, paths, SECONDS)
    result["cpu_ms"] = 1000 * (server.cpu_seconds() - cpu_before) / max(result["rps"] * SECONDS, 1)
    return result


def measure_hello() -> dict:
    with gunicorn("bench.hello_world:create_app()", {}) as server:
        return measure(server, ["/"])


def measure_site(settings: dict, paths: dict[str, list[str]], mode: str) -> dict:
    """Every page kind under one server in `mode`; "rss_mb": the workers' peak resident memory."""
    with gunicorn("wsgi:app", {**settings, **MODES[mode]}) as server:
        request_concurrently(server.base, [path for kind in PAGES for path in paths[kind]])  # each page once
        with server.sampling_rss():
            results = {kind: measure(server, paths[kind]) for kind in PAGES}
        server.sample_rss()
        results["rss_mb"] = server.peak_worker_rss_mb
    return results


def bench_size(talks: int) -> dict:
    with TemporaryDirectory(prefix="causeries-pages-") as workdir:
        started = time.perf_counter()
        app = build_site(Path(workdir), talks)
        paths = page_paths(app, PATHS_PER_PAGE)
        print(f"== {talks} talks (site built in {time.perf_counter() - started:.0f} s; load average "
              f"{os.getloadavg()[0]:.1f})", flush=True)
        figures = {"hello": measure_hello()}
        for mode in MODES:
            figures[mode] = measure_site(site_settings(Path(workdir)), paths, mode)
    report_size(figures)
    return figures


def share(figures: dict, mode: str, kind: str) -> float:
    return 100 * figures[mode][kind]["rps"] / figures["hello"]["rps"]


def report_size(figures: dict) -> None:
    hello = figures["hello"]
    print(f"   hello-world: {hello['rps']:.0f} req/s, {hello['cpu_ms']:.2f} ms of worker CPU per request")
    print(f"   {'page':8} {'warm req/s':>10} {'share':>6} {'off req/s':>10} {'share':>6} {'off CPU ms/req':>15}")
    for kind in PAGES:
        warm, off = figures["warm"][kind], figures["off"][kind]
        errors = warm["errors"] + off["errors"]
        print(f"   {kind:8} {warm['rps']:10.0f} {share(figures, 'warm', kind):5.1f}% {off['rps']:10.0f} "
              f"{share(figures, 'off', kind):5.1f}% {off['cpu_ms']:15.1f}"
              + (f"  ({errors} errors: non-2xx answers or socket errors)" if errors else ""))
    print(f"   worker peak RSS: {figures['warm']['rss_mb']:.0f} MB cache warm, "
          f"{figures['off']['rss_mb']:.0f} MB cache off", flush=True)


def met(is_met: bool) -> str:
    return "met" if is_met else "NOT met"


def report_targets(by_size: dict[int, dict]) -> None:
    print("== targets")
    for mode, label in (("warm", "cache warm"), ("off", "cache off")):
        shares = {(talks, kind): share(figures, mode, kind)
                  for talks, figures in by_size.items() for kind in LISTED_PAGES}
        listed = ", ".join(f"{kind} {value:.0f}% at {talks}" for (talks, kind), value in shares.items())
        print(f"   talk, event, tag and home pages, {label}, >= {TARGETS[mode]}% of the hello-world: "
              f"{met(min(shares.values()) >= TARGETS[mode])} ({listed})")
    report_search_target(by_size)
    report_home_cost(by_size)
    report_rss(by_size)


def report_search_target(by_size: dict[int, dict]) -> None:
    """The /search target is read as shipped (page and result caches on); every cache off is
    printed beside it, where each search runs in full."""
    warm = {talks: share(figures, "warm", "search") for talks, figures in by_size.items()}
    off = {talks: share(figures, "off", "search") for talks, figures in by_size.items()}
    listed = ", ".join(f"{value:.0f}% at {talks}" for talks, value in warm.items())
    print(f"   /search page >= {TARGETS['search']}%, as shipped: {met(min(warm.values()) >= TARGETS['search'])} "
          f"({listed}; every cache off: " + ", ".join(f"{value:.0f}% at {talks}" for talks, value in off.items())
          + ")")


def report_home_cost(by_size: dict[int, dict]) -> None:
    smallest, largest = min(by_size), max(by_size)
    label = f"home page cost from {smallest} to {largest} talks flat within {HOME_FLAT_PERCENT}%"
    if smallest == largest:
        print(f"   {label}: not measured (one size)")
        return
    small, large = (by_size[talks]["off"]["home"] for talks in (smallest, largest))
    cpu_growth = 100 * (large["cpu_ms"] / small["cpu_ms"] - 1)
    rps_growth = 100 * (small["rps"] / large["rps"] - 1)
    print(f"   {label} (cache off, worker CPU per request): {met(cpu_growth <= HOME_FLAT_PERCENT)} "
          f"({small['cpu_ms']:.1f} -> {large['cpu_ms']:.1f} ms, {cpu_growth:+.0f}%; "
          f"time per request {rps_growth:+.0f}%)")


def report_rss(by_size: dict[int, dict]) -> None:
    label = f"worker RSS at {RSS_AT} talks under {RSS_LIMIT_MB} MB"
    if RSS_AT not in by_size:
        print(f"   {label}: not measured (BENCH_PAGE_SIZES has no {RSS_AT})")
        return
    peak = max(by_size[RSS_AT][mode]["rss_mb"] for mode in MODES)
    print(f"   {label}: {met(peak < RSS_LIMIT_MB)} (peak {peak:.0f} MB)")


def main() -> None:
    print(f"page throughput: gunicorn {WORKERS} sync workers (gunicorn.conf.py), wrk 16 connections, "
          f"{SECONDS:g} s per page, {PATHS_PER_PAGE} paths per page kind, sizes {SIZES}; {os.cpu_count()} CPUs",
          flush=True)
    by_size = {talks: bench_size(talks) for talks in SIZES}
    report_targets(by_size)
    print(f"   machine at the end: load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
