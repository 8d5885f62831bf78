"""Every document a query matches, combined as sets rather than walked doc by doc.

Counting results and facets needs the full set of matches, while ranking only needs the top
page. Terms, Or, And, AndNot and Every are evaluated here with set operations, which run in C;
a term's documents come, on the fast path, from whole posting blocks (whoosh_internals.blocks),
on the public path from Whoosh's own matcher. Anything else (phrases) is matched by Whoosh.
AndNot is a set difference on both paths: Whoosh's AndNot matcher was seen keeping a document
that holds the excluded word (tests/search_index/test_index_pruning.py).
"""
from whoosh import query as wq

from . import whoosh_internals


def matching_docnums(searcher, query) -> list[int]:
    """The sorted global document numbers of every (undeleted) document matching the query."""
    return sorted(_matches(searcher, query))


def _matches(searcher, query) -> set[int]:
    kind = type(query)
    if kind is wq.Term:
        return _term_docnums(searcher, query.fieldname, query.text)
    if kind is wq.Or:
        return set().union(*(_matches(searcher, sub) for sub in query.subqueries))
    if kind is wq.And:
        return _intersection([_matches(searcher, sub) for sub in query.subqueries])
    if kind is wq.AndNot:
        positive = _matches(searcher, query.a)
        return positive - _matches(searcher, query.b) if positive else positive
    if kind is wq.Every and not query.fieldname:
        return set(searcher.reader().all_doc_ids())
    return set(searcher.docs_for_query(query))


def _intersection(sets: list[set[int]]) -> set[int]:
    if not sets:
        return set()
    sets.sort(key=len)
    return sets[0].intersection(*sets[1:])


def _term_docnums(searcher, fieldname: str, text) -> set[int]:
    if whoosh_internals.fast_path_enabled():
        return whoosh_internals.term_docnums(searcher, fieldname, text)
    return set(searcher.docs_for_query(wq.Term(fieldname, text)))
