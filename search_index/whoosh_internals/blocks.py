"""A term's postings read a whole block at a time, through whoosh3's W3LeafMatcher internals.

Walking a matcher one document at a time costs a Python call per posting; here a block of up to
128 postings is decoded at once (its document numbers summed by itertools.accumulate, its header
read in one call) and handed over as tuples, which sets and comprehensions then use in C.
Any other matcher (another codec) is walked through its public methods.
"""
from io import BytesIO
from itertools import accumulate
from pickle import Unpickler

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

BLOCK_HEADER_BYTES = 96  # a block's length and pickled info tuple: about 30 bytes


def term_docnums(searcher, fieldname: str, text) -> set[int]:
    """The global document numbers of every undeleted document holding the term."""
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
    if isinstance(matcher, FilterMatcher):  # whoosh3 3.54: how a segment with deletions wraps them
        return matcher.child, leaf.deleted_docs_set
    return matcher, frozenset()


def is_block_matcher(matcher) -> bool:
    return type(matcher) is W3LeafMatcher


def posting_ids(matcher):
    """The document numbers of a term's postings, a block at a time."""
    if not is_block_matcher(matcher):
        yield from matcher.all_ids()
        return
    while matcher.is_active():
        read_ids(matcher)
        yield from matcher._ids
        next_block(matcher)


def id_weight_blocks(matcher):
    """(docnums, weights) of each block of a W3LeafMatcher, in order."""
    while matcher.is_active():
        read_ids(matcher)
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        next_block(matcher)


def id_weight_value_blocks(matcher):
    """(docnums, weights, encoded values) of each block of a W3LeafMatcher, in order."""
    while matcher.is_active():
        read_ids(matcher)
        matcher._read_weights()
        matcher._read_values()
        yield matcher._ids, matcher._weights, matcher._values
        next_block(matcher)


def block_max_id(matcher) -> int:
    """The highest docnum of the current block (from its header: no postings decoded)."""
    return matcher._maxid


def block_entries(matcher, values: bool):
    """(docnum, (weight, encoded positions or None)) of the current block."""
    read_ids(matcher)
    matcher._read_weights()
    if not values:
        return zip(matcher._ids, zip(matcher._weights, [None] * len(matcher._ids)))
    matcher._read_values()
    return zip(matcher._ids, zip(matcher._weights, matcher._values))


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


def length_codes(leaf, fieldname: str) -> bytes:
    """The one-byte length codes (Whoosh's encoding) of a field for every document of the segment:
    one read, not one call per document."""
    doc_count = leaf.doc_count_all()
    reader = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)  # whoosh3 3.54
    if reader is None:
        return bytes(doc_count)
    if getattr(reader, "_fixedlen", None) != 1:
        return bytes(reader.load())
    raw = bytes(reader._dbfile.get(reader._basepos, reader._count))  # whoosh3 3.54 NumericColumn("B")
    return raw + bytes(doc_count - len(raw))
