"""Exact BM25F scores of every document holding a term or a phrase, a posting block at a time.

Whoosh scores document-at-a-time through a tree of matchers, a dozen Python calls per posting.
Here every posting block is scored in one comprehension, with the field lengths decoded once per
searcher into compact arrays (cached in view.lengths). A phrase scores, like in Whoosh, the sum of
its words' scores, in the documents where the words' positions follow each other. Scores equal
Whoosh's up to the order of float additions (tests/search_index/test_index_pruning.py).
"""
from array import array
from itertools import accumulate, repeat
from operator import sub
from pickle import loads

from whoosh import formats
from whoosh import query as wq
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .blocks import id_weight_blocks, id_weight_value_blocks, is_block_matcher, leaf_postings, length_codes
from .phrases import candidate_postings, pair_candidates

POSITION_CACHE_SIZE = 20_000  # per searcher and word offset in a phrase
BYTE_LENGTHS = [byte_to_length(code) or 1 for code in range(256)]  # 0 = no length: Whoosh's default 1


def term_scores(view, term) -> dict[int, float]:
    """Global docnum -> BM25F score of a wq.Term (recency bonus not applied) in every document holding it."""
    searcher, fieldname = view.searcher, term.fieldname
    if fieldname not in searcher.schema or not searcher.doc_frequency(fieldname, term.text):
        return {}  # like Whoosh, which never builds a scorer (nor an idf) for an absent term
    scorable = searcher.schema[fieldname].scorable
    idf, boost = searcher.idf(fieldname, term.text), term.boost
    k1_plus_1 = searcher.weighting.K1 + 1
    scores: dict[int, float] = {}
    for leaf, offset in searcher.reader().leaf_readers():
        norms = field_norms(view, leaf, fieldname) if scorable else None
        for ids, weights in _posting_blocks(leaf, fieldname, term.text):
            if scorable and boost != 1.0:  # BM25F exactly as Whoosh computes it, then boosted, a block at a time
                weights = [idf * ((w * k1_plus_1) / (w + norms[d])) * boost for d, w in zip(ids, weights)]
            elif scorable:
                weights = [idf * ((w * k1_plus_1) / (w + norms[d])) for d, w in zip(ids, weights)]
            elif boost != 1.0:
                weights = [w * boost for w in weights]
            scores.update(zip(map(offset.__add__, ids) if offset else ids, weights))
    return scores


def _posting_blocks(leaf, fieldname: str, text):
    """(segment docnums, weights) of a term's undeleted postings, a block at a time."""
    matcher, deleted = leaf_postings(leaf, fieldname, text)
    if matcher is None:
        return
    if not is_block_matcher(matcher):
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
        blocks = [tuple(zip(*pairs))] if pairs else []
    else:
        blocks = id_weight_blocks(matcher)
    for ids, weights in blocks:
        if deleted and not deleted.isdisjoint(ids):
            kept = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
            ids, weights = [d for d, _ in kept], [w for _, w in kept]
        yield ids, weights


def field_norms(view, leaf, fieldname: str):
    """Per document of the segment, BM25F's length normalisation k1 * ((1 - b) + b * fl / avgfl)."""
    key = ("norms", id(leaf), fieldname)
    cache = view.lengths
    if key not in cache:
        weighting, searcher = view.searcher.weighting, view.searcher
        k1, b, avgfl = weighting.K1, weighting.B, searcher.avg_field_length(fieldname) or 1
        cache[key] = array("d", [k1 * ((1 - b) + b * fl / avgfl) for fl in field_lengths(view, leaf, fieldname)])
    return cache[key]


def field_lengths(view, leaf, fieldname: str):
    """The segment's per-document lengths of a field (Whoosh's one-byte encoding, decoded), cached."""
    key = ("lengths", id(leaf), fieldname)
    cache = view.lengths
    if key not in cache:
        cache[key] = array("i", map(BYTE_LENGTHS.__getitem__, length_codes(leaf, fieldname)))
    return cache[key]


def phrase_scores(view, phrase, pair_terms: list[tuple[str, str]]) -> dict[int, float]:
    """Like Whoosh: the sum of a wq.Phrase's words' BM25F scores, in the documents where the words
    follow each other. `pair_terms` are the (field, text) pair terms of the index that the phrase's
    consecutive words make (search_index.phrases): the candidates are the documents holding them
    all; without any, each word's posting blocks are read whole, for weights and positions together."""
    searcher, fieldname, words = view.searcher, phrase.fieldname, phrase.words
    reader = searcher.reader()
    if len(words) < 2:  # a phrase of one word (or none) scores as its word
        return term_scores(view, wq.Term(fieldname, words[0], boost=phrase.boost)) if words else {}
    if not all(searcher.doc_frequency(fieldname, word) for word in words):
        return {}
    field = searcher.schema[fieldname]
    idfs = [searcher.idf(fieldname, word) for word in words]
    decoders = [_position_decoder(view, field.format, shift) for shift in range(len(words))]
    score = _bm25_scorer(searcher.weighting.K1 + 1, phrase.boost, field.scorable)
    scores: dict[int, float] = {}
    for leaf, offset in reader.leaf_readers():
        postings, candidates = _phrase_postings(leaf, fieldname, words, pair_terms)
        norms = field_norms(view, leaf, fieldname) if field.scorable and candidates else None
        for docnum in candidates:
            entries = [word_postings[docnum] for word_postings in postings]
            if _positions_follow(decoders, entries):
                total = score(idfs[0], entries[0][0], norms, docnum)
                for idf, (weight, _) in zip(idfs[1:], entries[1:]):
                    total += score(idf, weight, norms, docnum)
                scores[offset + docnum] = total
    return scores


def _phrase_postings(leaf, fieldname: str, words, pair_terms) -> tuple[list[dict], list[int] | set[int]]:
    """Each word's {docnum: (weight, encoded positions or None)} and the documents to check."""
    if not pair_terms:
        postings = [_weights_and_positions(leaf, fieldname, word) for word in words]
        return postings, set(min(postings, key=len)).intersection(*postings)
    candidates = pair_candidates(leaf, pair_terms)
    if not candidates:
        return [], candidates
    values = len(words) > 2  # two words holding their pair are a match: no positions to read
    postings = [candidate_postings(leaf, fieldname, word, candidates, values) for word in words]
    if len(pair_terms) < len(words) - 1:  # a stop word in no pair: not every candidate holds it
        candidates = [docnum for docnum in candidates if all(docnum in found for found in postings)]
    return postings, candidates


def _positions_follow(decoders, entries) -> bool:
    """True if the words' positions follow each other (always, when no positions were read)."""
    if entries[0][1] is None:
        return True
    return bool(decoders[0](entries[0][1]).intersection(*map(_decoded, decoders[1:], entries[1:])))


def _decoded(decoder, posting: tuple) -> frozenset:
    return decoder(posting[1])


def _bm25_scorer(k1_plus_1: float, boost: float, scorable: bool):
    """One word's BM25F score in one document, exactly as term_scores computes it."""
    def score(idf: float, weight: float, norms, docnum: int) -> float:
        if scorable:
            weight = idf * ((weight * k1_plus_1) / (weight + norms[docnum]))
        return weight * boost if boost != 1.0 else weight
    return score


def _weights_and_positions(leaf, fieldname: str, text) -> dict[int, tuple]:
    """Segment docnum -> (weight, encoded positions) of a term's undeleted postings."""
    matcher, deleted = leaf_postings(leaf, fieldname, text)
    found: dict[int, tuple] = {}
    if matcher is None:
        return found
    if not is_block_matcher(matcher):
        while matcher.is_active():
            found[matcher.id()] = (matcher.weight(), matcher.value())
            matcher.next()
    else:
        for ids, weights, values in id_weight_value_blocks(matcher):
            found.update(zip(ids, zip(weights, values)))
    for docnum in deleted.intersection(found) if deleted else ():
        del found[docnum]
    return found


def _position_decoder(view, format_, shift: int):
    """Encoded positions -> frozenset of positions minus `shift`, memoised per searcher: most
    postings hold one of a few thousand distinct position lists."""
    cache = view.lengths.setdefault(("positions", shift), {})
    decode_positions = format_.decode_positions if type(format_) is not formats.Positions else None

    def decode(value: bytes) -> frozenset:
        positions = cache.get(value)
        if positions is None:
            if decode_positions is None:  # formats.Positions: uint count, then the pickled deltas
                positions = frozenset(map(sub, accumulate(loads(value[_INT_SIZE:])), repeat(shift)))
            else:
                positions = frozenset(position - shift for position in decode_positions(value))
            if len(cache) < POSITION_CACHE_SIZE:
                cache[value] = positions
        return positions
    return decode
