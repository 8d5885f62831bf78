"""Answers to repeated searches, kept per searcher, least recently used first out.

A cache belongs to one reader.IndexView: the reader opens a new view for every commit of the index
(an apply() or a rebuild's swap), so a new commit starts an empty cache and a cached answer is never
older than the index. The key is the normalised request (SearchRequest.cache_key): the query, its
filters, the sort, the page and the facets' size. What goes in and what comes out are copies, so a
caller may change the answer it got. An answer cut short by the budget (is_partial) is not kept.
"""
import threading
from collections import OrderedDict

from .models import SearchResult

RESULT_CACHE_SIZE = 256  # answers per process: each holds one page of hits and the top facet values


class ResultCache:
    """A bounded LRU map of request keys to answers; size 0 keeps nothing."""

    def __init__(self, size: int = RESULT_CACHE_SIZE):
        self.size = max(0, int(size))
        self._answers: OrderedDict[tuple, SearchResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> SearchResult | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                return None
            self._answers.move_to_end(key)
        return answer.copy()

    def put(self, key: tuple, answer: SearchResult) -> None:
        if not self.size or answer.is_partial:
            return
        with self._lock:
            self._answers[key] = answer.copy()
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)
