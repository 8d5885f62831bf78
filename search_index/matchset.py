"""Every document a query matches, computed from whole posting blocks rather than doc by doc.

Counting results and facets needs the full set of matches, while ranking only needs the top
page (where Whoosh's block-max pruning skips most postings). Walking a matcher one document at
a time costs a Python call per posting and per field; here a term's postings are read a block
of up to 128 document numbers at a time and combined with set operations, which run in C.
Terms, Or, And, AndNot and Every are evaluated this way; anything else (phrases) is matched
by Whoosh's own matcher.
"""
from io import BytesIO
from itertools import accumulate
from pickle import Unpickler

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

BLOCK_HEADER_BYTES = 96  # a block's length and pickled info tuple: about 30 bytes


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
        read_ids(matcher)
        yield from matcher._ids
        next_block(matcher)


def next_block(matcher: W3LeafMatcher) -> None:
    """matcher._next_block(), the block header read in one call: whoosh3 3.54 reads it through
    pickle.load() on the segment file, a dozen small reads per block."""
    if matcher._lastblock:
        matcher._atend = True
        return
    position = matcher._nextoffset
    try:
        head = matcher._postfile.get(position, BLOCK_HEADER_BYTES)
        stream = BytesIO(head)
        stream.seek(_INT_SIZE)
        info = Unpickler(stream).load()
        blocklength, maxid, maxweight, compression, minlength, maxlength = info
    except Exception:  # a header longer than we read (or damaged): Whoosh's own way and its errors
        matcher._goto(position)
        return
    _enter_block(matcher, position, unpack_int(head[:_INT_SIZE])[0], stream.tell(), info)


def _enter_block(matcher, position: int, length: int, header_size: int, info: tuple) -> None:
    """The state W3LeafMatcher._goto() leaves (whoosh3 3.54), from a header read by next_block."""
    matcher._data = matcher._ids = matcher._weights = matcher._values = None
    matcher._i = 0
    matcher._lastblock = length < 0
    matcher._nextoffset = position + _INT_SIZE + abs(length)
    matcher._dataoffset = position + header_size
    matcher._blocklength, matcher._maxid, matcher._maxweight, matcher._compression, minlength, maxlength = info
    matcher._minlength, matcher._maxlength = byte_to_length(minlength), byte_to_length(maxlength)


def read_ids(matcher: W3LeafMatcher) -> None:
    """matcher._read_ids() (whoosh3 3.54: the block's docnums into matcher._ids), the deltas summed
    by itertools.accumulate rather than a Python generator."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else tuple(accumulate(ids))
