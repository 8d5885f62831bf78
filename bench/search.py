"""Search benchmark: Whoosh (search_index) against SQLite FTS5 on the same documents and queries.

Prints figures, asserts nothing. `make bench` runs it; BENCH_TALKS=20000 shrinks the synthetic archive
and BENCH_WEB_TALKS the database behind the /search measurement (0 skips it).
Targets: full rebuild of 100,000 talks under 3 minutes; reader process peak RSS under 300 MB;
/search request p95 at most 3x the FTS5 query p95: /search is requested through app.test_client() on a
SQLite database migrated by Flask-Migrate and filled with plain INSERTs, its index built by rebuild().
Then over HTTP (bench/search_http.py): /api/v1/search against the FTS5 peer (bench/fts5_peer.py), both under
gunicorn with the same settings, the same documents and the same distinct queries, nothing cached, at
BENCH_HTTP_SIZES talks (default 20000,100000; empty skips it), BENCH_HTTP_QUERIES queries (default 165).
Target: /api/v1/search p95 at most 2x the peer's.
"""
import multiprocessing
import os
import resource
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.search_corpus import SyntheticArchive, pyvideo_directory, pyvideo_talks
from bench.search_http import HTTP_SIZES, bench_http
from bench.web_archive import web_rows
from search_index import SearchIndex, SearchRequest

SYNTHETIC_TALKS = int(os.environ.get("BENCH_TALKS", "100000"))
WEB_TALKS = int(os.environ.get("BENCH_WEB_TALKS", str(SYNTHETIC_TALKS)))
ROUNDS = 3
QUERIES = [
    ("one word", "médiation", {}), ("one word", "bibliotheque", {}), ("one word", "library", {}),
    ("one word", "numérisation", {}), ("one word", "robotique", {}), ("one word", "wikipedia", {}),
    ("two words", "médiation numérique", {}), ("two words", "lecture publique", {}),
    ("two words", "open data", {}), ("two words", "atelier jeunesse", {}), ("two words", "python code", {}),
    ("phrase", '"lecture publique"', {}), ("phrase", '"médiation numérique"', {}), ("phrase", '"open data"', {}),
    ("facets", "patrimoine", {"year": 2016}), ("facets", "formation", {"lang": "fr", "has_slides": True}),
    ("facets", "library", {"lang": "en"}), ("facets", "", {"has_slides": True}),
]
PYCON_QUERIES = [("one word", "python", {}), ("one word", "asyncio", {}), ("two words", "machine learning", {}),
                 ("one word", "django", {}), ("phrase", '"logiciel libre"', {}), ("one word", "bytecode", {})]
FTS_COLUMNS = ("title", "summary", "sections", "speakers", "tags", "event", "slides")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the rebuild's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def build_whoosh(path: str, documents, total: int) -> float:
    started, cpu_started = time.perf_counter(), cpu_seconds()

    def progress(done, expected):
        if done % 20000 == 0 or done == expected:
            print(f"   indexed {done}/{expected} in {time.perf_counter() - started:.0f} s", flush=True)

    SearchIndex(path).rebuild(documents, total=total, progress=progress)
    print(f"   rebuild used {cpu_seconds() - cpu_started:.0f} s of CPU ({load_average()})", flush=True)
    return time.perf_counter() - started


def whoosh_reader(path: str, queries, connection) -> None:
    """Runs in a fresh process: open the index, answer the queries, report latencies and peak RSS."""
    index = SearchIndex(path, result_cache_size=0)  # the rounds repeat the queries: measured without the cache
    started = time.perf_counter()
    index.search(SearchRequest(q="warm-up"))
    open_seconds = time.perf_counter() - started
    latencies = []
    for _ in range(ROUNDS):
        for _kind, q, filters in queries:
            started = time.perf_counter()
            index.search(SearchRequest(q=q, **filters))
            latencies.append(time.perf_counter() - started)
    suggest_started = time.perf_counter()
    for prefix in ("med", "biblio", "lect", "pyth", "sophie"):
        index.suggest(prefix)
    suggest_seconds = (time.perf_counter() - suggest_started) / 5
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    connection.send((open_seconds, latencies, suggest_seconds, peak_mb))
    connection.close()


def measure_whoosh(path: str, queries) -> tuple:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=whoosh_reader, args=(path, queries, child))
    process.start()
    figures = parent.recv()
    process.join()
    return figures


def fts_row(doc: dict) -> tuple:
    slides = "\n".join(slide["text"] for slide in doc.get("slides") or [])
    return (doc["title"], doc["summary"], doc["sections"], " ".join(doc["speakers"]), " ".join(doc["tags"]),
            doc["event"], slides)


def build_fts(path: str, documents) -> float:
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute(f"CREATE VIRTUAL TABLE talks USING fts5({', '.join(FTS_COLUMNS)}, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE facts (id INTEGER PRIMARY KEY, year INT, language TEXT, has_slides INT)")
    for number, doc in enumerate(documents, start=1):
        db.execute("INSERT INTO talks(rowid, title, summary, sections, speakers, tags, event, slides) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (number, *fts_row(doc)))
        db.execute("INSERT INTO facts VALUES (?, ?, ?, ?)", (number, doc["date"].year if doc["date"] else None,
                                                             doc["language"], int(doc["has_slides"])))
    db.commit()
    db.close()
    return time.perf_counter() - started


def fts_query(db, q: str, filters: dict) -> None:
    """Top 20 by bm25 (title weighted), the total and a year facet: what a result page needs."""
    where, params = ["facts.id = talks.rowid"], []
    if q:
        where.append("talks MATCH ?")
        params.append(q)
    for column, value in (("year", filters.get("year")), ("language", filters.get("lang")),
                          ("has_slides", filters.get("has_slides"))):
        if value is not None:
            where.append(f"facts.{column} = ?")
            params.append(int(value) if isinstance(value, bool) else value)
    clause = " AND ".join(where)
    order = "bm25(talks, 4.0, 1.5, 1.0, 3.0, 3.0, 1.5, 0.7)" if q else "facts.id DESC"
    db.execute(f"SELECT talks.rowid FROM talks, facts WHERE {clause} ORDER BY {order} LIMIT 20", params).fetchall()
    db.execute(f"SELECT facts.year, count(*) FROM talks, facts WHERE {clause} GROUP BY facts.year", params).fetchall()


def measure_fts(path: str, queries) -> list[float]:
    db = sqlite3.connect(path)
    latencies = []
    for _ in range(ROUNDS):
        for _kind, q, filters in queries:
            started = time.perf_counter()
            fts_query(db, q, filters)
            latencies.append(time.perf_counter() - started)
    db.close()
    return latencies


def measure_web(workdir: str, talks: int, queries) -> tuple[float, list[float]] | None:
    """/search through the test client on a migrated SQLite database and an index built by rebuild()."""
    if not (ROOT / "webapp" / "search").is_dir():
        return None
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db
    from webapp.search.indexing import rebuild_index
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{workdir}/web.db",
                      "SEARCH_INDEX_DIR": f"{workdir}/web-index", "UPLOAD_DIR": f"{workdir}/uploads",
                      "SEARCH_WRITER": "off", "SEARCH_RESULT_CACHE_SIZE": 0})
    with app.app_context():
        upgrade()
        for name, rows in web_rows(SyntheticArchive(talks), talks).items():
            db.session.execute(db.metadata.tables[name].insert(), rows)
        db.session.commit()
        started = time.perf_counter()
        rebuild_index()
        rebuild_seconds = time.perf_counter() - started
    client = app.test_client()
    client.get("/search?q=warm-up")
    latencies = []
    for _ in range(ROUNDS):
        for _kind, q, filters in queries:
            started = time.perf_counter()
            params = {"q": q, **{name: _param(value) for name, value in filters.items()}}
            response = client.get("/search", query_string=params)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, (q, filters, response.status_code)
    return rebuild_seconds, latencies


def _param(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _ms(values: list[float], share: float) -> float:
    return percentile(values, share) * 1000


def report(name: str, build_seconds: float, fts_build: float, whoosh_figures: tuple, fts_latencies, queries) -> None:
    open_seconds, latencies, suggest_seconds, peak_mb = whoosh_figures
    print(f"== {name}")
    print(f"   build: whoosh rebuild {build_seconds:.1f} s, FTS5 {fts_build:.1f} s")
    print(f"   query latency (ms): whoosh p50 {_ms(latencies, .5):.1f} p95 {_ms(latencies, .95):.1f};"
          f" FTS5 p50 {_ms(fts_latencies, .5):.1f} p95 {_ms(fts_latencies, .95):.1f};"
          f" whoosh/FTS5 p95 ratio {_ms(latencies, .95) / max(_ms(fts_latencies, .95), 1e-6):.1f}x")
    first, fts_first = latencies[:len(queries)], fts_latencies[:len(queries)]
    print(f"   first round only (nothing memoised yet): whoosh p50 {_ms(first, .5):.1f} p95 {_ms(first, .95):.1f};"
          f" FTS5 p50 {_ms(fts_first, .5):.1f} p95 {_ms(fts_first, .95):.1f}")
    kinds = [kind for _round in range(ROUNDS) for kind, _q, _f in queries]
    for kind in dict.fromkeys(kinds):
        mine = [v for k, v in zip(kinds, latencies) if k == kind]
        theirs = [v for k, v in zip(kinds, fts_latencies) if k == kind]
        print(f"     {kind:10} whoosh p50 {_ms(mine, .5):6.1f} p95 {_ms(mine, .95):6.1f} | "
              f"FTS5 p50 {_ms(theirs, .5):5.1f} p95 {_ms(theirs, .95):5.1f}")
    print(f"   reader: first search (open) {open_seconds * 1000:.0f} ms, suggest {suggest_seconds * 1000:.1f} ms, "
          f"peak RSS {peak_mb:.0f} MB")


def bench_corpus(name: str, make_documents, total: int, queries, web_talks: int = 0) -> tuple:
    with tempfile.TemporaryDirectory(prefix="bench-search-") as workdir:
        index_path, fts_path = os.path.join(workdir, "index"), os.path.join(workdir, "fts.db")
        build_seconds = build_whoosh(index_path, make_documents(), total)
        fts_build = build_fts(fts_path, make_documents())
        figures = measure_whoosh(index_path, queries)
        fts_latencies = measure_fts(fts_path, queries)
        report(name, build_seconds, fts_build, figures, fts_latencies, queries)
        shutil.rmtree(index_path)
        web = measure_web(workdir, web_talks, queries) if web_talks else None
        return build_seconds, figures, fts_latencies, web


def print_targets(build_seconds: float, figures: tuple, fts_latencies: list[float], web) -> None:
    scale = 100_000 / SYNTHETIC_TALKS
    fts95 = _ms(fts_latencies, .95)
    print("== targets")
    print(f"   rebuild of 100,000 talks under 180 s: {'met' if build_seconds * scale < 180 else 'NOT met'}"
          f" ({build_seconds * scale:.0f} s{' extrapolated' if scale != 1 else ''})")
    print(f"   reader peak RSS under 300 MB: {'met' if figures[3] < 300 else 'NOT met'} ({figures[3]:.0f} MB"
          f" at {SYNTHETIC_TALKS} talks)")
    engine95 = _ms(figures[1], .95)
    print(f"   engine query p95 <= 3x FTS5 p95: {'met' if engine95 <= 3 * fts95 else 'NOT met'}"
          f" ({engine95:.1f} ms vs 3 x {fts95:.1f} ms)")
    if web is None:
        reason = "BENCH_WEB_TALKS=0" if WEB_TALKS == 0 else "no webapp/search"
        print(f"   /search request p95 <= 3x FTS5 p95: not measured ({reason})")
        return
    rebuild_seconds, latencies = web
    web50, web95 = _ms(latencies, .5), _ms(latencies, .95)
    first = latencies[:len(latencies) // ROUNDS]
    print(f"   /search first round only: p50 {_ms(first, .5):.1f} ms, p95 {_ms(first, .95):.1f} ms"
          f" (vs 3 x FTS5 first-round p95 {_ms(fts_latencies[:len(first)], .95):.1f} ms)")
    print(f"   /search request p95 <= 3x FTS5 p95: {'met' if web95 <= 3 * fts95 else 'NOT met'}"
          f" (p50 {web50:.1f} ms, p95 {web95:.1f} ms vs 3 x {fts95:.1f} ms; {WEB_TALKS} talks in SQLite,"
          f" index rebuilt from the database in {rebuild_seconds:.0f} s)")


def main() -> None:
    print(f"search benchmark: {os.cpu_count()} CPUs, {ROUNDS} rounds of {len(QUERIES)} queries, {load_average()}",
          flush=True)
    pycon = pyvideo_talks()
    if pycon:
        bench_corpus(f"PyCon FR ({len(pycon)} talks from {pyvideo_directory()})", lambda: iter(pycon), len(pycon),
                     PYCON_QUERIES + QUERIES[:6])
    archive = SyntheticArchive(SYNTHETIC_TALKS)
    build_seconds, figures, fts_latencies, web = bench_corpus(
        f"synthetic ({SYNTHETIC_TALKS} talks)", archive.__iter__, SYNTHETIC_TALKS, QUERIES, WEB_TALKS)
    print_targets(build_seconds, figures, fts_latencies, web)
    if HTTP_SIZES:
        bench_http()
    print(f"   machine at the end: {load_average()}")


if __name__ == "__main__":
    main()
