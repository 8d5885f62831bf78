"""French known-item searches: how often Causeries (search_index) and an SQLite FTS5 peer put the
talk a visitor looks for in their top 3, on the PyCon FR talks (bench/search_corpus.py).

Prints figures, asserts nothing. The queries are made from the talks themselves, by rules fixed
here and never tuned on the results, in the three ways issue 15 names:

- joined compound: a hyphenated word of the talk typed as one word ("microservices" for
  "micro-services"), with the talk title's rarest other word;
- split compound: such a word typed as two words ("micro services"), for talks that write it
  hyphenated or joined (the joined spellings are those the corpus also writes hyphenated);
- one word missing: the two rarest words of the title, and a word of another talk's title that
  makes the three words found together in no talk.

The peer is what a Flask developer would write: an FTS5 table with the default unicode61
tokenizer (remove_diacritics 2), each word of the query quoted (so that FTS5 accepts any input),
ranked by bm25 with the weights of bench/search.py.
"""
import random
import re
import sqlite3
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bench.search_corpus import pyvideo_talks
from search_index import SearchIndex, SearchRequest
from search_index.analysis import fold, is_stop_word

TOP = 3
MISSING_WORD_QUERIES = 60
SEED = 20240915
WORD = re.compile(r"[^\W\d_]{4,}")
HYPHENATED = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]{2,})+")
FTS_COLUMNS = ("title", "summary", "speakers", "tags", "event")
FTS_WEIGHTS = "4.0, 1.5, 3.0, 3.0, 1.5"


def words(text: str) -> list[str]:
    """The content words of a text, folded: what a visitor may type to find it."""
    return [fold(word) for word in WORD.findall(text) if not is_stop_word(word)]


def compounds(text: str) -> list[str]:
    """Hyphenated words of letters whose parts are not stop words ("est-ce" is no compound)."""
    return [word for word in HYPHENATED.findall(text) if not any(map(is_stop_word, word.split("-")))]


class Corpus:
    def __init__(self, talks: list[dict]):
        self.talks = talks
        self.french = [talk for talk in talks if talk["language"] == "fr"]
        self.frequency = Counter(word for talk in talks for word in set(words(self.text(talk))))
        self.hyphenated = {fold(c).replace("-", ""): fold(c).split("-") for t in talks for c in compounds(self.text(t))}

    @staticmethod
    def text(talk: dict) -> str:
        return f"{talk['title']} {talk['summary']}"

    def rarest_title_words(self, talk: dict, count: int, leaving_out: tuple[str, ...] = ()) -> list[str]:
        candidates = [w for w in dict.fromkeys(words(talk["title"])) if not any(w in part for part in leaving_out)]
        return sorted(candidates, key=lambda w: (self.frequency[w], w))[:count]

    def joined_words(self, talk: dict) -> list[str]:
        """Words the talk writes joined whose hyphenated spelling the corpus also writes."""
        return [word for word in dict.fromkeys(words(self.text(talk))) if word in self.hyphenated]


def compound_queries(corpus: Corpus) -> Iterator[tuple[str, str, str]]:
    """(kind, query, talk id): each talk's first compound typed joined and split, with a title word."""
    for talk in corpus.french:
        found = compounds(corpus.text(talk))
        if found:
            compound = fold(found[0])
            companion = corpus.rarest_title_words(talk, 1, leaving_out=(compound,))
            yield "joined compound", " ".join([compound.replace("-", ""), *companion]), talk["id"]
            yield "split compound", " ".join([*compound.split("-"), *companion]), talk["id"]
        for joined in corpus.joined_words(talk)[:1]:
            companion = corpus.rarest_title_words(talk, 1, leaving_out=(joined,))
            yield "split compound", " ".join([*corpus.hyphenated[joined], *companion]), talk["id"]


def missing_word_queries(corpus: Corpus, fts) -> Iterator[tuple[str, str, str]]:
    """(kind, query, talk id): two words of a title and one that no talk holds with them."""
    rng = random.Random(SEED)
    talks = [talk for talk in corpus.french if len(corpus.rarest_title_words(talk, 2)) == 2]
    for talk in rng.sample(talks, min(MISSING_WORD_QUERIES, len(talks))):
        kept = corpus.rarest_title_words(talk, 2)
        for _attempt in range(20):
            other = rng.choice(corpus.french)
            extra = [w for w in words(other["title"]) if w not in words(corpus.text(talk))]
            if extra and not fts_ids(fts, " ".join([*kept, extra[0]]), limit=1):
                yield "one word missing", " ".join([*kept, extra[0]]), talk["id"]
                break


def build_fts(path: str, talks: list[dict]) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute(f"CREATE VIRTUAL TABLE talks USING fts5(talk_id UNINDEXED, {', '.join(FTS_COLUMNS)}, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO talks VALUES (?, ?, ?, ?, ?, ?)",
                   [(t["id"], t["title"], t["summary"], " ".join(t["speakers"]), " ".join(t["tags"]), t["event"])
                    for t in talks])
    db.commit()
    return db


def fts_ids(db: sqlite3.Connection, q: str, limit: int = TOP) -> list[str]:
    match = " ".join('"{}"'.format(word.replace('"', '""')) for word in q.split())
    rows = db.execute(f"SELECT talk_id FROM talks WHERE talks MATCH ? ORDER BY bm25(talks, 0, {FTS_WEIGHTS}) "
                      "LIMIT ?", (match, limit))
    return [talk_id for (talk_id,) in rows]


def causeries_ids(index: SearchIndex, q: str) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(q=q, per_page=TOP)).hits]


def main() -> None:
    talks = pyvideo_talks()
    if not talks:
        print("French known-item searches: no PyCon FR talks found (bench/search_corpus.py PYVIDEO_DIRS)")
        return
    verbose = "-v" in sys.argv
    corpus = Corpus(talks)
    with tempfile.TemporaryDirectory(prefix="bench-french-") as workdir:
        index = SearchIndex(Path(workdir) / "index")
        index.rebuild(iter(talks))
        fts = build_fts(str(Path(workdir) / "fts.db"), talks)
        queries = [*compound_queries(corpus), *missing_word_queries(corpus, fts)]
        found = Counter()
        for kind, q, talk_id in queries:
            ours, theirs = talk_id in causeries_ids(index, q), talk_id in fts_ids(fts, q)
            found[kind, "causeries"] += ours
            found[kind, "fts5"] += theirs
            if verbose and ours != theirs:
                print(f"   {'causeries' if ours else 'FTS5':9} only: {q!r} -> {talk_id}")
        fts.close()
    print(f"== French known-item searches: {len(corpus.french)} French talks of {len(talks)}, "
          f"talk in the top {TOP}")
    for kind in dict.fromkeys(kind for kind, _q, _id in queries):
        total = sum(1 for k, _q, _id in queries if k == kind)
        print(f"   {kind:17} {total:3} queries: Causeries {found[kind, 'causeries']:3} "
              f"({found[kind, 'causeries'] / total:4.0%}), FTS5 {found[kind, 'fts5']:3} "
              f"({found[kind, 'fts5'] / total:4.0%})")


if __name__ == "__main__":
    main()
