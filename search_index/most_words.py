"""The talks holding most of a query's words, when no talk holds them all.

A query of two or more plain words that matches nothing, within its budget, is searched again with
its required units (query.required_units: a word, an OR group, a word or its joined form) as
alternatives. A talk must match at least half of them (rounded up); the more it matches, the higher
it ranks ("coord"), its BM25F score times the recency bonus breaking ties, or newest first when
sorted by date. Phrases, field: and #tag queries stay strict (query.relaxable_units); exclusions
still exclude and filters still narrow. The search result says so (SearchResult.is_relaxed).
"""
from collections import Counter
from heapq import nlargest

from .accumulate import match_scores
from .budget import QueryBudget
from .collect import newest
from .matchset import matching_docnums
from .models import SearchRequest
from .query import TALK_FIELDS, ParsedQuery, excluded_query, indexed_in, relaxable_units


def most_words_page(view, parsed: ParsedQuery, request: SearchRequest, allowed: set[int],
                    budget: QueryBudget) -> tuple[list[tuple[float, int]], list[int]] | None:
    """[(score, docnum)] of the requested page and every docnum matching most of the query's units,
    sorted; None when the query stays strict or no talk matches half of its units."""
    units = relaxable_units(parsed, TALK_FIELDS, indexed_in(view.searcher))
    if units is None:
        return None
    excluded = _excluded(view, parsed, budget)  # first, as AndNot does: out of budget, it keeps nothing
    counts, scores = _units_matched(view, units, budget)
    needed = (len(units) + 1) // 2
    docnums = sorted(docnum for docnum, count in counts.items()
                     if count >= needed and docnum in allowed and docnum not in excluded)
    if not docnums:
        return None
    wanted = request.page * request.per_page
    if request.sort == "date":
        top = [(0.0, docnum) for docnum in newest(docnums, view.ordinals, wanted, view.date_order)]
    else:
        finals = {docnum: scores[docnum] * view.facets.bonuses[docnum] for docnum in docnums}
        best = nlargest(wanted, docnums, key=lambda docnum: (counts[docnum], finals[docnum], -docnum))
        top = [(finals[docnum], docnum) for docnum in best]
    return top[wanted - request.per_page:], docnums


def _units_matched(view, units: list, budget: QueryBudget) -> tuple[Counter, Counter]:
    """docnum -> how many units it matches, and docnum -> the sum of their BM25F scores."""
    counts, scores = Counter(), Counter()
    for unit in units:
        unit_scores = match_scores(view, unit, budget)
        counts.update(unit_scores.keys())
        scores.update(unit_scores)
    return counts, scores


def _excluded(view, parsed: ParsedQuery, budget: QueryBudget) -> set[int]:
    excluded = excluded_query(parsed, TALK_FIELDS)
    return set(matching_docnums(view.searcher, excluded, budget)) if excluded is not None else set()
