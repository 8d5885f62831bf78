"""Ranking: the top documents of a page by BM25F with a small recency bonus, pruned exactly.

The bonus multiplies a document's BM25F score by at most (1 + RECENCY_WEIGHT). So a document
whose plain score is at most (lowest final score in the top N) / (1 + RECENCY_WEIGHT) can never
enter the top N: that bound is what Whoosh's block-max pruning is given (`minscore`), and the
result is exactly the top N by final score, equal scores in document order. Counting every
match is left to matchset.matching_docnums.
"""
from datetime import date
from heapq import heappush, heapreplace, nsmallest
from itertools import islice

from whoosh.collectors import TopCollector

RECENCY_WEIGHT = 0.03
RECENCY_START = date(2000, 1, 1).toordinal()
RECENCY_SPAN = date(2035, 1, 1).toordinal() - RECENCY_START
DENSE_SHARE = 8  # browse by walking the date order when more than 1/8 of the documents match


def recency_bonus(ordinal: int) -> float:
    """1.0 for an undated or old talk, up to 1 + RECENCY_WEIGHT for a recent one."""
    return 1.0 + RECENCY_WEIGHT * min(1.0, max(0.0, (ordinal - RECENCY_START) / RECENCY_SPAN))


class RecencyTopCollector(TopCollector):
    """The top `limit` (final score, docnum) with block-quality pruning kept exact."""

    def __init__(self, limit: int, ordinals, allowed=None):
        # replace=0: Whoosh's matcher.replace(minscore) was seen dropping documents that belong
        # in the top N once the index has several segments; block skipping alone stays exact.
        super().__init__(limit=limit, replace=0)
        self.ordinals, self.allowed = ordinals, allowed

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.final_fn = None  # the bonus is applied in _collect, so that pruning stays on

    def _use_block_quality(self) -> bool:
        return self.usequality and self.matcher.supports_block_quality()

    def _collect(self, global_docnum: int, score: float):
        if self.allowed is not None and global_docnum not in self.allowed:
            return 0
        ordinals = self.ordinals
        final = score * recency_bonus(ordinals[global_docnum] if global_docnum < len(ordinals) else 0)
        items = self.items
        if len(items) < self.limit:
            heappush(items, (final, -global_docnum))
        elif final > items[0][0]:
            heapreplace(items, (final, -global_docnum))
            self.minscore = items[0][0] / (1.0 + RECENCY_WEIGHT)
        return -final

    def top(self) -> list[tuple[float, int]]:
        """(score, docnum) best first; equal scores in document order."""
        return [(score, -negated) for score, negated in sorted(self.items, reverse=True)]


def ranked(searcher, query, limit: int, ordinals, allowed=None) -> list[tuple[float, int]]:
    """The best `limit` (score, docnum) by BM25F times the recency bonus, among `allowed` docnums.

    Filters are given as a set rather than as zero-boost terms of the query: Whoosh's block-quality
    skipping divides by a sub-query's boost."""
    collector = RecencyTopCollector(limit, ordinals, allowed)
    searcher.search_with_collector(query, collector)
    return collector.top()


def newest(docnums: list[int], ordinals, limit: int, date_order=None) -> list[int]:
    """The `limit` most recent documents (undated last); equal dates in document order.

    `date_order` (a callable giving every docnum sorted that way) is walked when the matches are
    dense, which beats sorting them."""
    if date_order is not None and len(docnums) * DENSE_SHARE > len(ordinals):
        wanted = set(docnums)
        return list(islice((docnum for docnum in date_order() if docnum in wanted), limit))
    return nsmallest(limit, docnums, key=lambda docnum: (-ordinals[docnum], docnum))
