"""Ranking: the top documents of a page by BM25F with a small recency bonus, and date order.

Every match is scored (accumulate.match_scores), so the page is exactly the
top N by final score and the same pass gives the total and the documents to count facets over.
"""
from datetime import date
from heapq import nlargest, nsmallest
from itertools import islice
from operator import mul

from .accumulate import match_scores
from .budget import QueryBudget

RECENCY_WEIGHT = 0.03
RECENCY_START = date(2000, 1, 1).toordinal()
RECENCY_SPAN = date(2035, 1, 1).toordinal() - RECENCY_START
DENSE_SHARE = 8  # browse by walking the date order when more than 1/8 of the documents match


def recency_bonus(ordinal: int) -> float:
    """1.0 for an undated or old talk, up to 1 + RECENCY_WEIGHT for a recent one."""
    return 1.0 + RECENCY_WEIGHT * min(1.0, max(0.0, (ordinal - RECENCY_START) / RECENCY_SPAN))


def ranked(view, query, limit: int, allowed: set[int], budget: QueryBudget | None = None,
           leaves: dict | None = None) -> tuple[list[tuple[float, int]], list[int]]:
    """The best `limit` (score, docnum) among `allowed` by BM25F times the recency bonus, best first
    (equal scores in document order), and every allowed matching docnum, sorted (among the matches
    the budget let it find). `leaves` collects the scores of its terms and phrases (match_scores).

    The heap runs over the bare scores, in C, for the limit-th best; only the scores at least as
    good are paired with their docnums and sorted."""
    scores = match_scores(view, query, budget, leaves)
    matched = sorted(filter(allowed.__contains__, scores))  # a few ascending runs: cheap to sort
    finals = list(map(mul, map(scores.__getitem__, matched), map(view.facets.bonuses.__getitem__, matched)))
    if not finals:
        return [], matched
    threshold = nlargest(limit, finals)[-1]
    best = sorted(((final, -docnum) for final, docnum in zip(finals, matched) if final >= threshold), reverse=True)
    return [(score, -negated) for score, negated in best[:limit]], matched


def newest(docnums: list[int], ordinals, limit: int, date_order=None) -> list[int]:
    """The `limit` most recent documents (undated last); equal dates in document order.

    `date_order` (a callable giving every docnum sorted that way) is walked when the matches are
    dense, which beats sorting them."""
    if date_order is not None and len(docnums) * DENSE_SHARE > len(ordinals):
        wanted = set(docnums)
        return list(islice((docnum for docnum in date_order() if docnum in wanted), limit))
    return nsmallest(limit, docnums, key=lambda docnum: (-ordinals[docnum], docnum))
