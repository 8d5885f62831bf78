"""Reading: one searcher per process, refreshed when the index changed, reopened after a swap.

Per searcher the engine keeps the facet values of every document (from the `facets` column,
loaded once per segment and reused across refreshes), which serve facet counting and the small
recency bonus of the ranking.
"""
import os
import sys
import threading
import time
from datetime import date

from whoosh import index as whoosh_index
from whoosh.scoring import BM25F

from .schema import FACET_SEPARATOR, LIST_SEPARATOR
from .writer import read_current

RECENCY_WEIGHT = 0.03
RECENCY_START = date(2000, 1, 1).toordinal()
RECENCY_SPAN = date(2035, 1, 1).toordinal() - RECENCY_START
OPEN_ATTEMPTS = 5
EMPTY_RECORD = ((), "", "", (), "", "", 0)


class RecencyBM25F(BM25F):
    """BM25F where, relevance being equal, a recent talk ranks a little higher (at most +3%)."""

    use_final = True

    def __init__(self, ordinals: list[int] | None = None):
        super().__init__(B=0.75, K1=1.2)
        self.ordinals = ordinals or []

    def final(self, searcher, docnum: int, score: float) -> float:
        ordinal = self.ordinals[docnum] if docnum < len(self.ordinals) else 0
        recency = min(1.0, max(0.0, (ordinal - RECENCY_START) / RECENCY_SPAN))
        return score * (1.0 + RECENCY_WEIGHT * recency)


def parse_facet_record(blob: bytes) -> tuple:
    """(tags, event slug, year, speaker slugs, language, has_slides, date ordinal) of a document."""
    if not blob:
        return EMPTY_RECORD
    tags, event, year, speakers, language, has_slides, ordinal = blob.decode("utf-8").split(FACET_SEPARATOR)
    return (_interned_list(tags), sys.intern(event), sys.intern(year), _interned_list(speakers),
            sys.intern(language), sys.intern(has_slides), int(ordinal))


def _interned_list(joined: str) -> tuple[str, ...]:
    return tuple(map(sys.intern, joined.split(LIST_SEPARATOR))) if joined else ()


class IndexView:
    """A searcher with the per-document facet records it needs."""

    def __init__(self, searcher, generation: str, segment_cache: dict):
        self.searcher = searcher
        self.generation = generation
        self.records = self._load_records(segment_cache)
        self.ordinals = [record[6] for record in self.records]
        self.searcher.weighting = RecencyBM25F(self.ordinals)
        self.memo: dict = {}

    def _load_records(self, segment_cache: dict) -> list[tuple]:
        records: list[tuple] = []
        fresh = {}
        for leaf, _offset in sorted(self.searcher.reader().leaf_readers(), key=lambda pair: pair[1]):
            key = self._segment_key(leaf)
            fresh[key] = segment_cache.get(key) or self._segment_records(leaf)
            records.extend(fresh[key])
        segment_cache.clear()
        segment_cache.update(fresh)
        return records

    @staticmethod
    def _segment_key(leaf):
        segment = leaf.segment()
        return segment.segment_id() if segment is not None else id(leaf)

    @staticmethod
    def _segment_records(leaf) -> list[tuple]:
        if not leaf.has_column("facets"):
            return [EMPTY_RECORD] * leaf.doc_count_all()
        return [parse_facet_record(blob) for blob in leaf.column_reader("facets")]

    def is_current(self) -> bool:
        return self.searcher.up_to_date()


class Reader:
    """The process-wide way to a fresh IndexView; safe after fork and across threads."""

    def __init__(self, root: str):
        self.root = root
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
        for attempt in range(OPEN_ATTEMPTS):
            if not whoosh_index.exists_in(path):
                return None
            try:
                searcher = whoosh_index.open_dir(path).searcher()
            except FileNotFoundError:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                continue
            return IndexView(searcher, generation, self._segment_cache)
        return None
