"""Matching a query ONCE: the top documents of the page and every matching document number.

Whoosh's TopCollector forgets the documents that miss the top N, so counting results and
facets used to mean running the query a second time. Since our weighting has a final step
(the recency bonus), Whoosh never skips blocks anyway: every match is visited and scored, so
recording its number costs one list append. The quality threshold is kept at zero so that the
matcher is never pruned of documents that could not reach the top N (they still count).
"""
from heapq import nsmallest

from whoosh.collectors import TopCollector


class AllMatchesTopCollector(TopCollector):
    """The top `limit` (score, docnum) AND the number of every matching document."""

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.matched: list[int] = []

    def _use_block_quality(self) -> bool:
        return False

    def _collect(self, global_docnum: int, score: float):
        self.matched.append(global_docnum)
        key = super()._collect(global_docnum, score)
        self.minscore = 0  # never let matcher.replace() drop low-scoring documents
        return key

    def top(self) -> list[tuple[float, int]]:
        """(score, docnum) best first; equal scores in document order."""
        return [(score, -negated) for score, negated in sorted(self.items, reverse=True)]


def ranked(searcher, query, limit: int) -> tuple[list[tuple[float, int]], list[int]]:
    """The best `limit` (score, docnum) and every matching docnum, in one pass."""
    collector = AllMatchesTopCollector(limit=limit)
    searcher.search_with_collector(query, collector)
    return collector.top(), collector.matched


def newest(docnums: list[int], ordinals: list[int], limit: int) -> list[int]:
    """The `limit` most recent documents (undated last); equal dates in document order."""
    return nsmallest(limit, docnums, key=lambda docnum: (-ordinals[docnum], docnum))
