"""bench/search.py over HTTP: Causeries' /api/v1/search against the FTS5 peer (bench/fts5_peer.py),
both served by gunicorn with the same settings and worker count, on the same documents (the peer's
database is written from the documents Causeries' index holds), answering the same distinct queries.

Cold: the queries are distinct (words and pairs of words from the titles, none repeated, whatever
their case or accents), so no cache can answer any of them, and Causeries runs with its caches off
besides (PAGE_CACHE=off, SEARCH_RESULT_CACHE_SIZE=0). Each query goes to Causeries then to the peer,
one request at a time, so a busy machine weighs on both alike; Causeries is asked for as many results
a page as the peer returns (per_page), each with its highlight, as the peer's with its snippet.
The workers are warmed first with other queries (the first search of a process opens the index).
Prints nothing: search.py reports.
"""
import os
import random
import re
import tempfile
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote

from bench.fts5_peer import DATABASE_ENV, build_peer_database
from bench.fts5_peer import TOP as PEER_TOP
from bench.http_bench import gunicorn, percentile, request_concurrently, request_each
from bench.web_archive import build_site, site_settings, talk_documents

HTTP_SIZES = [int(size) for size in os.environ.get("BENCH_HTTP_SIZES", "20000,100000").split(",") if size.strip()]
HTTP_QUERIES = int(os.environ.get("BENCH_HTTP_QUERIES", "165"))
WARM_UP_QUERIES = 64
CAUSERIES_SETTINGS = {"PAGE_CACHE": "off", "SEARCH_RESULT_CACHE_SIZE": "0"}
TARGET_RATIO = 2.0


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def distinct_queries(titles: list[str], count: int, seed: int = 165) -> list[str]:
    """`count` distinct queries: single words and pairs of consecutive words of the titles (words of
    4 letters or more), none equal to another once case and accents are folded; shuffled."""
    candidates = {}
    for title in titles:
        words = [word for word in re.findall(r"\w+", title) if len(word) >= 4]
        for query in [*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))]:
            candidates.setdefault(folded(query), query.lower())
    queries = sorted(candidates.values())
    random.Random(seed).shuffle(queries)
    return queries[:count]


def measure(talks: int) -> dict:
    """{"causeries": [seconds], "peer": [seconds], "sizes": {...}, "queries": int, "documents": int}."""
    with tempfile.TemporaryDirectory(prefix="causeries-search-http-") as workdir:
        app = build_site(Path(workdir), talks)
        documents = list(talk_documents(app))
        build_peer_database(f"{workdir}/peer.db", documents)
        queries = distinct_queries([doc["title"] for doc in documents], HTTP_QUERIES + WARM_UP_QUERIES)
        measured, warm_up = queries[:HTTP_QUERIES], queries[HTTP_QUERIES:]
        with gunicorn("wsgi:app", {**site_settings(Path(workdir)), **CAUSERIES_SETTINGS},
                      ready_path="/api/v1/search?q=warm") as causeries, \
                gunicorn("bench.fts5_peer:create_app()", {DATABASE_ENV: f"{workdir}/peer.db"},
                         ready_path="/search?q=warm") as peer:
            return {**alternated(causeries.base, peer.base, measured, warm_up), "documents": len(documents)}


def alternated(causeries: str, peer: str, queries: list[str], warm_up: list[str]) -> dict:
    for _ in range(2):  # every worker of both has answered a search before the measure
        request_concurrently(causeries, [f"/api/v1/search?q={quote(q)}" for q in warm_up])
        request_concurrently(peer, [f"/search?q={quote(q)}" for q in warm_up])
    figures = {"causeries": [], "peer": [], "sizes": {"causeries": [], "peer": []}, "queries": len(queries)}
    for q in queries:  # the same number of results, each with its snippet, from both
        for name, base, path in (("causeries", causeries, f"/api/v1/search?per_page={PEER_TOP}&q="),
                                 ("peer", peer, "/search?q=")):
            figures[name] += request_each(base, [f"{path}{quote(q)}"], sizes=figures["sizes"][name])
    return figures


def report(by_size: dict[int, dict]) -> None:
    print("== /api/v1/search against the FTS5 peer over HTTP (gunicorn, same workers, distinct queries, no cache)")
    for talks, figures in by_size.items():
        ours, theirs = ([1000 * value for value in figures[name]] for name in ("causeries", "peer"))
        ratio = percentile(ours, .95) / max(percentile(theirs, .95), 1e-6)
        sizes = {name: max(values) / 1024 for name, values in figures["sizes"].items()}
        print(f"   {talks} talks ({figures['documents']} indexed), {figures['queries']} queries: "
              f"Causeries p50 {percentile(ours, .5):.1f} ms "
              f"p95 {percentile(ours, .95):.1f} ms | FTS5 peer p50 {percentile(theirs, .5):.1f} ms "
              f"p95 {percentile(theirs, .95):.1f} ms | p95 ratio {ratio:.1f}x "
              f"(target <= {TARGET_RATIO:g}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'}); "
              f"largest answer {sizes['causeries']:.1f} KB vs {sizes['peer']:.1f} KB")


def bench_http() -> None:
    started = time.perf_counter()
    by_size = {talks: measure(talks) for talks in HTTP_SIZES}
    report(by_size)
    print(f"   (sizes {HTTP_SIZES} from BENCH_HTTP_SIZES, measured in {time.perf_counter() - started:.0f} s)")
