"""Every document a query matches, combined as sets rather than walked doc by doc.

Counting results and facets needs the full set of matches, while ranking only needs the top
page. Terms, Or, And, AndNot and Every are evaluated here with set operations, which run in C;
a term's documents come, on the fast path, from whole posting blocks (whoosh_internals.blocks),
on the public path from Whoosh's own matcher. Anything else (phrases) is matched by Whoosh.
AndNot is a set difference on both paths: Whoosh's AndNot matcher was seen keeping a document
that holds the excluded word (tests/search_index/test_index_pruning.py).

With a budget (budget.QueryBudget), a leaf is matched only if the budget allows it, else it
matches nothing: the result is then a subset of the matches. AndNot then matches what it
excludes first, so that it never keeps too much.
"""
from whoosh import query as wq

from . import whoosh_internals
from .budget import QueryBudget, allows_query


def matching_docnums(searcher, query, budget: QueryBudget | None = None) -> list[int]:
    """The sorted global document numbers of every (undeleted) document matching the query
    (of those the budget let it find)."""
    return sorted(_matches(searcher, query, budget))


def _matches(searcher, query, budget: QueryBudget | None) -> set[int]:
    kind = type(query)
    if kind is wq.Or:
        return set().union(*(_matches(searcher, sub, budget) for sub in query.subqueries))
    if kind is wq.And:
        return _intersection([_matches(searcher, sub, budget) for sub in query.subqueries])
    if kind is wq.AndNot:
        return _difference(searcher, query, budget)
    if not allows_query(budget, searcher, query):
        return set()
    if kind is wq.Term:
        return _term_docnums(searcher, query.fieldname, query.text)
    if kind is wq.Every and not query.fieldname:
        return set(searcher.reader().all_doc_ids())
    return set(searcher.docs_for_query(query))


def _difference(searcher, query, budget: QueryBudget | None) -> set[int]:
    if budget is None:  # the excluded part is not read when nothing is left to exclude from
        positive = _matches(searcher, query.a, None)
        return positive - _matches(searcher, query.b, None) if positive else positive
    excluded = _matches(searcher, query.b, budget)
    return _matches(searcher, query.a, budget) - excluded


def _intersection(sets: list[set[int]]) -> set[int]:
    if not sets:
        return set()
    sets.sort(key=len)
    return sets[0].intersection(*sets[1:])


def _term_docnums(searcher, fieldname: str, text) -> set[int]:
    if whoosh_internals.fast_path_enabled():
        return whoosh_internals.term_docnums(searcher, fieldname, text)
    return set(searcher.docs_for_query(wq.Term(fieldname, text)))
