"""Phrase candidates from the pair field, and word postings read only where they may matter.

The `pairs` field (fields.PairField) holds, per document, every two consecutive terms of each
text field. The documents where a phrase can occur are those holding all its consecutive pairs (but the
pairs with a stop word, which are not indexed): for two words exactly the phrase's matches, for
more a small set whose positions are checked. A phrase with no pair left ("de la") is matched by
positions alone.
Each word's postings are then read only in the blocks that hold a candidate (a block header
gives its highest document number), and only the candidates' weights are kept.
"""
from bisect import bisect_right

from whoosh.codec.whoosh3 import W3LeafMatcher

from .fields import pair_term
from .matchset import leaf_postings, next_block, posting_ids, read_ids

PAIR_FIELD = "pairs"


def phrase_pairs(schema, fieldname: str, words) -> list[tuple[str, str]]:
    """The consecutive pairs of a phrase's terms that the index holds as pair terms: none if it
    has no pairs of this field (indexes before pairs) or every pair holds a skipped stop word."""
    field = schema[PAIR_FIELD] if PAIR_FIELD in schema else None
    if field is None or fieldname not in getattr(field, "sources", ()):
        return []
    skipped = field.skipped_terms(fieldname)
    return [(first, second) for first, second in zip(words, words[1:])
            if first not in skipped and second not in skipped]


def pair_candidates(leaf, fieldname: str, pairs) -> list[int]:
    """Sorted segment docnums (undeleted) holding every one of the phrase's pairs."""
    found = None
    for first, second in pairs:
        matcher, deleted = leaf_postings(leaf, PAIR_FIELD, pair_term(fieldname, first, second))
        if matcher is None:
            return []
        docnums = set(posting_ids(matcher)).difference(deleted)
        found = docnums if found is None else found.intersection(docnums)
        if not found:
            return []
    return sorted(found)


def candidate_postings(leaf, fieldname: str, text, candidates: list[int], values: bool) -> dict[int, tuple]:
    """Candidate docnum -> (weight, encoded positions or None) of a term, reading only the posting
    blocks whose docnum range holds a candidate."""
    matcher, _deleted = leaf_postings(leaf, fieldname, text)  # candidates are undeleted already
    wanted, found = set(candidates), {}
    if matcher is None:
        return found
    if type(matcher) is not W3LeafMatcher:
        while matcher.is_active():
            if matcher.id() in wanted:
                found[matcher.id()] = (matcher.weight(), matcher.value() if values else None)
            matcher.next()
        return found
    start = 0
    while matcher.is_active() and start < len(candidates):
        if candidates[start] <= matcher._maxid:  # whoosh3 3.54: the block header's highest docnum
            found.update(_block_postings(matcher, wanted, values))
            start = bisect_right(candidates, matcher._maxid, start)
        next_block(matcher)
    return found


def _block_postings(matcher, wanted: set[int], values: bool):
    read_ids(matcher)  # whoosh3 3.54: the current block's ids, weights and encoded positions
    matcher._read_weights()
    if values:
        matcher._read_values()
    entries = zip(matcher._weights, matcher._values) if values else zip(matcher._weights, [None] * len(matcher._ids))
    return ((docnum, entry) for docnum, entry in zip(matcher._ids, entries) if docnum in wanted)
