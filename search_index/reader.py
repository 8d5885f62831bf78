"""Reading: one searcher per process, refreshed when the index changed, reopened after a swap.

Per searcher the engine keeps the facet values of every document (from the `facets` column,
loaded once per segment and reused across refreshes), which serve facet counting and the small
recency bonus of the ranking.
"""
import os
import threading
import time
import weakref
from array import array

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from .collect import recency_bonus
from .facettable import FacetTable, segment_table
from .result_cache import RESULT_CACHE_SIZE, ResultCache
from .writer import read_current

OPEN_SECONDS = 2.0  # how long a reader keeps retrying a commit that a writer replaced under it


class RecencyBM25F(BM25F):
    """BM25F where, relevance being equal, a recent talk ranks a little higher (at most +3%).

    Used by Whoosh's own searches (speakers, suggestions); talk ranking applies the same bonus
    in collect.RecencyTopCollector, where block-max pruning stays on."""

    use_final = True

    def __init__(self, ordinals=None):
        super().__init__(B=0.75, K1=1.2)
        self.ordinals = ordinals if ordinals is not None else []

    def final(self, searcher, docnum: int, score: float) -> float:
        return score * recency_bonus(self.ordinals[docnum] if docnum < len(self.ordinals) else 0)


class TermFrequencies:
    """A searcher's doc_frequency, remembered: a search asks for each of its terms' frequency
    several times (whether the index holds it, its cost to the budget, its idf), and Whoosh reads
    the terms table each time. The view is replaced on every commit, so the figures never go
    stale; at most MAX_TERMS are kept."""

    MAX_TERMS = 50_000

    def __init__(self, doc_frequency):
        self._doc_frequency = doc_frequency
        self._known: dict = {}

    def __call__(self, fieldname: str, text) -> int:
        key = (fieldname, text)
        frequency = self._known.get(key)
        if frequency is None:
            if len(self._known) >= self.MAX_TERMS:
                self._known.clear()
            frequency = self._known[key] = self._doc_frequency(fieldname, text)
        return frequency


class IndexView:
    """A searcher (and the index it reads) with the per-document facet values it needs (compact arrays)."""

    def __init__(self, index, generation: str, segment_cache: dict, result_cache_size: int = RESULT_CACHE_SIZE):
        self.index = index
        self.searcher = searcher = index.searcher()
        searcher.doc_frequency = TermFrequencies(searcher.doc_frequency)
        self.generation = generation
        # Close the segment files once no request holds this view any more (replaced, or exit).
        weakref.finalize(self, searcher.close)
        self.facets = self._load_facets(segment_cache)
        self.ordinals = self.facets.ordinals
        self.searcher.weighting = RecencyBM25F(self.ordinals)
        self.memo: dict = {}
        self.results = ResultCache(result_cache_size)  # whole answers, for this commit only
        self.allowed: dict = {}  # filter sets of the ranking, see engine._allowed
        self.lengths: dict = {}  # per segment and field, filled by whoosh_internals.scoring
        self._date_order = None

    def _load_facets(self, segment_cache: dict) -> FacetTable:
        table = FacetTable()
        fresh = {}
        for leaf, _offset in sorted(self.searcher.reader().leaf_readers(), key=lambda pair: pair[1]):
            key = self._segment_key(leaf)
            fresh[key] = segment_cache.get(key) or self._segment_facets(leaf)
            table.extend(fresh[key])
        segment_cache.clear()
        segment_cache.update(fresh)
        return table

    @staticmethod
    def _segment_key(leaf):
        segment = leaf.segment()
        return segment.segment_id() if segment is not None else id(leaf)

    @staticmethod
    def _segment_facets(leaf) -> FacetTable:
        blobs = leaf.column_reader("facets") if leaf.has_column("facets") else None
        return segment_table(blobs, leaf.doc_count_all())

    def date_order(self) -> array:
        """Every docnum, newest first (undated last), equal dates in document order; built once."""
        if self._date_order is None:
            ordinals = self.ordinals
            self._date_order = array("i", sorted(range(len(ordinals)), key=lambda docnum: -ordinals[docnum]))
        return self._date_order

    def is_current(self) -> bool:
        return self.searcher.up_to_date()


def open_index(path: str):
    """The index, its segment files read through plain reads, not mmap: whoosh3 opens each part of
    a memory-mapped compound segment as a private copy (BytesIO), which put the whole postings of
    the index in every process's memory; without mmap the parts are windows on one file."""
    return FileStorage(path, readonly=True, supports_mmap=False).open_index()


class Reader:
    """The process-wide way to a fresh IndexView; safe after fork and across threads."""

    def __init__(self, root: str, result_cache_size: int = RESULT_CACHE_SIZE):
        self.root = root
        self.result_cache_size = result_cache_size
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._view: IndexView | None = None
        self._segment_cache: dict = {}

    def view(self) -> IndexView | None:
        """The up-to-date view, or None while no index was ever written."""
        with self._lock:
            if self._pid != os.getpid():
                self._reset()
            generation = read_current(self.root)
            if generation is None:
                return None
            if self._view is None or self._view.generation != generation:
                self._view = self._open(generation)
            elif not self._view.is_current():
                # A fresh searcher, not searcher.refresh(): refresh() reuses segment readers
                # with their old deletion lists, so deleted and replaced documents would still
                # match. Facet records of unchanged segments are reused from the cache.
                self._view = self._reopen(generation)
            return self._view

    def _open(self, generation: str) -> IndexView | None:
        self._segment_cache = {}
        return self._reopen(generation)

    def _reopen(self, generation: str) -> IndexView | None:
        """Open the newest commit. A writer in another process may commit and remove the
        commit we just listed before we open its files: then the next listing is newer."""
        path = os.path.join(self.root, generation)
        deadline, pause = time.monotonic() + OPEN_SECONDS, 0.01
        while whoosh_index.exists_in(path):
            try:
                return IndexView(open_index(path), generation, self._segment_cache, self.result_cache_size)
            except FileNotFoundError:  # under load a busy writer may win the race several times
                if time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
        return None
