"""Search cost limits benchmark: pathological queries against a plain one, on a synthetic archive.

Prints figures, asserts nothing. `make bench` runs it; BENCH_LIMITS_TALKS (default 10,000) sets the
size of the archive, BENCH_LIMITS_ROUNDS (default 5) the rounds. Target: no query costs more than
5x the plain query "médiation numérique" (search_index/CONTRACT.md, "What a query may cost").

The archive holds talks and their speakers (the speaker box is part of a search's cost). Each round
opens a fresh reader (nothing memoised), warms it with an unrelated query, then runs every query
once; a query's figures are its medians over the rounds. The ratios are of CPU time, which other
processes on the machine disturb less than the wall-clock time printed beside it.
"""
import os
import random
import statistics
import tempfile
import time
from itertools import chain

from bench.search_corpus import ENGLISH_WORDS, FRENCH_GLUE, FRENCH_WORDS, SyntheticArchive
from search_index import SearchIndex, SearchRequest
from search_index.query import parse_query

TALKS = int(os.environ.get("BENCH_LIMITS_TALKS", "10000"))
ROUNDS = int(os.environ.get("BENCH_LIMITS_ROUNDS", "5"))
TARGET_RATIO = 5.0
PLAIN = "médiation numérique"
WORDS = list(dict.fromkeys(FRENCH_WORDS + ENGLISH_WORDS))
STOP_PAIRS = [f'"{first} {second}"' for first in FRENCH_GLUE[:4] for second in FRENCH_GLUE[4:9]]
QUERIES = [
    ("plain", PLAIN),
    ('"a" x150', " ".join(["a"] * 150)),
    ('"de la" x40 (quoted)', " ".join(['"de la"'] * 40)),
    ("200 distinct words", " ".join(WORDS[:200])),
    ("the 32 most frequent words", " ".join(FRENCH_WORDS[:32])),
    ("stop words only", " ".join(FRENCH_GLUE + ["the", "of", "and", "to", "in", "for", "with", "on", "by"])),
    ("long OR chain", " OR ".join(WORDS[:100])),
    ("many negations", "médiation " + " ".join(f"-{word}" for word in WORDS[1:100])),
    ("20 frequent phrases", " ".join(f'"{a} {b}"' for a, b in zip(FRENCH_WORDS[:40:2], FRENCH_WORDS[1:40:2]))),
    ("20 stop-word phrases", " ".join(STOP_PAIRS)),
    ("one 60-word phrase", '"' + " ".join(FRENCH_WORDS[:60]) + '"'),
    ("32 misspelt words", " ".join(word[0] + word[2:] for word in FRENCH_WORDS[:32])),
    ("wildcard-ish", "médiat* numéri?ue * *:* ~2 ^3 (bibli*) [a TO z] {x} \\\\ +lecture"),
]


def speaker_documents(archive: SyntheticArchive):
    """A speaker document for each of the archive's speakers, with a headline and a short bio."""
    rng = random.Random(archive.seed)
    for number, name in enumerate(archive.speakers, start=1):
        yield {"id": f"speaker:{number}", "type": "speaker", "slug": archive.speaker_slugs[name], "name": name,
               "aliases": [], "headline": " ".join(rng.sample(FRENCH_WORDS, 5)), "organisation": rng.choice(WORDS),
               "bio": " ".join(rng.choices(FRENCH_WORDS + FRENCH_GLUE, k=40)), "version": "1"}


def build(path: str) -> float:
    started, archive = time.perf_counter(), SyntheticArchive(TALKS)
    SearchIndex(path).rebuild(chain(archive, speaker_documents(archive)), total=TALKS + len(archive.speakers))
    return time.perf_counter() - started


def one_round(path: str) -> dict[str, tuple[float, float, object]]:
    """Each query once on a fresh reader: label -> (CPU seconds, wall-clock seconds, SearchResult)."""
    index = SearchIndex(path)
    index.search(SearchRequest(q="bibliothèque formation"))
    timings = {}
    for label, q in QUERIES:
        cpu_started, started = time.process_time(), time.perf_counter()
        result = index.search(SearchRequest(q=q))
        timings[label] = (time.process_time() - cpu_started, time.perf_counter() - started, result)
    return timings


def medians(rounds: list[dict], position: int) -> dict[str, float]:
    return {label: statistics.median(timings[label][position] for timings in rounds) for label, _q in QUERIES}


def clause_count(q: str) -> int:
    return sum(len(group) for group in parse_query(SearchRequest(q=q).normalised().q).groups)


def flags(result) -> str:
    return " ".join(name for name, on in (("partial", result.is_partial), ("truncated", result.is_query_truncated))
                    if on)


def report(rounds: list[dict]) -> None:
    figures, walls, results = medians(rounds, 0), medians(rounds, 1), rounds[-1]
    plain = figures["plain"]
    print(f"   {'query':28} {'CPU ms':>8} {'x plain':>8} {'<= 5x':>7} {'wall ms':>8} {'clauses':>7} {'total':>6}"
          "  flags")
    for label, q in QUERIES:
        ratio, result = figures[label] / plain, results[label][2]
        verdict = "-" if label == "plain" else "met" if ratio <= TARGET_RATIO else "NOT met"
        print(f"   {label:28} {figures[label] * 1000:8.1f} {ratio:7.1f}x {verdict:>7} {walls[label] * 1000:8.1f}"
              f" {clause_count(q):7d} {result.total:6d}  {flags(result)}")
    worst = max((label for label, _q in QUERIES if label != "plain"), key=figures.__getitem__)
    print(f"== target: every query <= {TARGET_RATIO:.0f}x the plain query ({plain * 1000:.1f} ms of CPU): "
          f"{'met' if figures[worst] <= TARGET_RATIO * plain else 'NOT met'} (worst: {worst},"
          f" {figures[worst] / plain:.1f}x)")


def main() -> None:
    print(f"search limits benchmark: {TALKS} synthetic talks, {ROUNDS} rounds, {os.cpu_count()} CPUs,"
          f" load average {' '.join(f'{value:.1f}' for value in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-search-limits-") as workdir:
        path = os.path.join(workdir, "index")
        print(f"   rebuild {build(path):.0f} s", flush=True)
        report([one_round(path) for _ in range(ROUNDS)])


if __name__ == "__main__":
    main()
