"""Every document a query matches, computed from whole posting blocks rather than doc by doc.

Counting results and facets needs the full set of matches, while ranking only needs the top
page (where Whoosh's block-max pruning skips most postings). Walking a matcher one document at
a time costs a Python call per posting and per field; here a term's postings are read a block
of up to 128 document numbers at a time and combined with set operations, which run in C.
Terms, Or, And, AndNot and Every are evaluated this way; anything else (phrases) is matched
by Whoosh's own matcher.
"""
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


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
    found: set[int] = set()
    for leaf, offset in searcher.reader().leaf_readers():
        matcher, deleted = leaf_postings(leaf, fieldname, text)
        if matcher is None:
            continue
        ids = set(posting_ids(matcher))
        ids -= deleted
        found.update(map(offset.__add__, ids) if offset else ids)
    return found


def leaf_postings(leaf, fieldname: str, text):
    """(the term's raw postings matcher or None, the segment's deleted docnums to skip)."""
    try:
        matcher = leaf.postings(fieldname, text)
    except TermNotFound:
        return None, frozenset()
    if isinstance(matcher, FilterMatcher):
        return matcher.child, leaf.deleted_docs_set
    return matcher, frozenset()


def posting_ids(matcher):
    """The document numbers of a term's postings, a block at a time."""
    if type(matcher) is not W3LeafMatcher:
        yield from matcher.all_ids()
        return
    while matcher.is_active():
        matcher._read_ids()  # whoosh3 3.54: decodes the current block's ids into matcher._ids
        yield from matcher._ids
        matcher._next_block()
