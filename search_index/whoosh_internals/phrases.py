"""Phrase candidates from the pair field, and word postings read only where they may matter.

The documents where a phrase can occur are those holding all the pair terms its consecutive words
make (search_index.phrases): for two words exactly the phrase's matches, for more a small set
whose positions are checked. Each word's postings are then read only in the blocks that hold a
candidate (a block header gives its highest document number), and only the candidates' weights
are kept.
"""
from bisect import bisect_right

from .blocks import block_entries, block_max_id, is_block_matcher, leaf_postings, next_block, posting_ids


def pair_candidates(leaf, pair_terms: list[tuple[str, str]]) -> list[int]:
    """Sorted segment docnums (undeleted) holding every one of the (field, text) pair terms."""
    found = None
    for fieldname, text in pair_terms:
        matcher, deleted = leaf_postings(leaf, fieldname, text)
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
    if not is_block_matcher(matcher):
        while matcher.is_active():
            if matcher.id() in wanted:
                found[matcher.id()] = (matcher.weight(), matcher.value() if values else None)
            matcher.next()
        return found
    start = 0
    while matcher.is_active() and start < len(candidates):
        highest = block_max_id(matcher)
        if candidates[start] <= highest:
            found.update(entry for entry in block_entries(matcher, values) if entry[0] in wanted)
            start = bisect_right(candidates, highest, start)
        next_block(matcher)
    return found
