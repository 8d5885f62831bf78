"""Search benchmark: Whoosh (search_index) against SQLite FTS5 on the same documents and queries.

Prints figures, asserts nothing. `make bench` runs it; BENCH_TALKS=20000 shrinks the synthetic archive.
Targets: full rebuild of 100,000 talks under 3 minutes; reader process peak RSS under 300 MB;
/search request p95 at most 3x the FTS5 query p95 (measured by the web benchmark once /search exists).
"""
import multiprocessing
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from search_corpus import SyntheticArchive, pyvideo_directory, pyvideo_talks  # noqa: E402

from search_index import SearchIndex, SearchRequest  # noqa: E402

SYNTHETIC_TALKS = int(os.environ.get("BENCH_TALKS", "100000"))
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


def build_whoosh(path: str, documents, total: int) -> float:
    started = time.perf_counter()

    def progress(done, expected):
        if done % 20000 == 0 or done == expected:
            print(f"   indexed {done}/{expected} in {time.perf_counter() - started:.0f} s", flush=True)

    SearchIndex(path).rebuild(documents, total=total, progress=progress)
    return time.perf_counter() - started


def whoosh_reader(path: str, queries, connection) -> None:
    """Runs in a fresh process: open the index, answer the queries, report latencies and peak RSS."""
    index = SearchIndex(path)
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


def report(name: str, build_seconds: float, fts_build: float, whoosh_figures: tuple, fts_latencies) -> None:
    open_seconds, latencies, suggest_seconds, peak_mb = whoosh_figures
    w50, w95 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000
    f50, f95 = percentile(fts_latencies, 0.5) * 1000, percentile(fts_latencies, 0.95) * 1000
    print(f"== {name}")
    print(f"   build: whoosh rebuild {build_seconds:.1f} s, FTS5 {fts_build:.1f} s")
    print(f"   query latency (ms): whoosh p50 {w50:.1f} p95 {w95:.1f} (mean {statistics.mean(latencies) * 1000:.1f});"
          f" FTS5 p50 {f50:.1f} p95 {f95:.1f}; whoosh/FTS5 p95 ratio {w95 / max(f95, 1e-6):.1f}x")
    print(f"   reader: first search (open) {open_seconds * 1000:.0f} ms, suggest {suggest_seconds * 1000:.1f} ms, "
          f"peak RSS {peak_mb:.0f} MB")


def bench_corpus(name: str, make_documents, total: int, queries) -> tuple:
    with tempfile.TemporaryDirectory(prefix="bench-search-") as workdir:
        index_path, fts_path = os.path.join(workdir, "index"), os.path.join(workdir, "fts.db")
        build_seconds = build_whoosh(index_path, make_documents(), total)
        fts_build = build_fts(fts_path, make_documents())
        figures = measure_whoosh(index_path, queries)
        fts_latencies = measure_fts(fts_path, queries)
        report(name, build_seconds, fts_build, figures, fts_latencies)
        return build_seconds, figures, fts_latencies


def main() -> None:
    print(f"search benchmark: {os.cpu_count()} CPUs, {ROUNDS} rounds of {len(QUERIES)} queries", flush=True)
    pycon = pyvideo_talks()
    if pycon:
        bench_corpus(f"PyCon FR ({len(pycon)} talks from {pyvideo_directory()})", lambda: iter(pycon), len(pycon),
                     PYCON_QUERIES + QUERIES[:6])
    archive = SyntheticArchive(SYNTHETIC_TALKS)
    build_seconds, figures, fts_latencies = bench_corpus(f"synthetic ({SYNTHETIC_TALKS} talks)", archive.__iter__,
                                                         SYNTHETIC_TALKS, QUERIES)
    print("== targets")
    scale = 100_000 / SYNTHETIC_TALKS
    print(f"   rebuild of 100,000 talks under 180 s: {'met' if build_seconds * scale < 180 else 'NOT met'}"
          f" ({build_seconds * scale:.0f} s{' extrapolated' if scale != 1 else ''})")
    print(f"   reader peak RSS under 300 MB: {'met' if figures[3] < 300 else 'NOT met'} ({figures[3]:.0f} MB)")
    print("   /search request p95 <= 3x FTS5 p95: not measured here (needs the web app's /search; "
          f"FTS5 p95 is {percentile(fts_latencies, 0.95) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
