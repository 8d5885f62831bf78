"""Exact BM25F scores of EVERY match, a posting block at a time (term-at-a-time scoring).

Whoosh scores document-at-a-time through a tree of matchers, a dozen Python calls per posting.
The top page only needs each matching document's score, which for our queries (terms, Or, And,
AndNot over the bilingual fields) is a sum of per-term BM25F scores: here every posting block is
scored in one comprehension, with field lengths decoded once per searcher into compact arrays.
A phrase scores, like in Whoosh, the sum of its words' scores, in the documents where the words'
positions follow each other. Other queries are scored by Whoosh's own matcher. Scores equal
Whoosh's up to the order of float additions.
"""
from array import array
from itertools import accumulate, repeat
from operator import add, sub
from pickle import loads

from whoosh import formats
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .matchset import leaf_postings, matching_docnums, next_block, read_ids
from .phrases import candidate_postings, pair_candidates, phrase_pairs

POSITION_CACHE_SIZE = 20_000  # per searcher and word offset in a phrase
BYTE_LENGTHS = [byte_to_length(code) or 1 for code in range(256)]  # 0 = no length: Whoosh's default 1


def match_scores(view, query) -> dict[int, float]:
    """Global docnum -> BM25F score (recency bonus not applied) of every document matching the query."""
    kind = type(query)
    if kind is wq.Term:
        return _term_scores(view, query)
    if kind is wq.Or and query.boost == 1.0:
        return _summed([match_scores(view, sub) for sub in query.subqueries], every=False)
    if kind is wq.And and query.boost == 1.0:
        return _summed([match_scores(view, sub) for sub in query.subqueries], every=True)
    if kind is wq.Phrase and query.slop == 1 and _has_positions(view, query.fieldname):
        return _phrase_scores(view, query)
    if kind is wq.AndNot and query.boost == 1.0:
        scores, excluded = match_scores(view, query.a), set(matching_docnums(view.searcher, query.b))
        return {docnum: score for docnum, score in scores.items() if docnum not in excluded}
    return _whoosh_scores(view, query)


def _summed(parts: list[dict[int, float]], every: bool) -> dict[int, float]:
    """Scores added per document (in the order of `parts`), over the documents of every part
    (`every`: the common documents summed by map() over dict lookups, in C) or of any part."""
    if not parts:
        return {}
    if every:
        parts.sort(key=len)
        common = list(set(parts[0]).intersection(*parts[1:]))
        total = dict(zip(common, map(parts[0].__getitem__, common)))
        for part in parts[1:]:
            total.update(zip(common, map(add, map(total.__getitem__, common), map(part.__getitem__, common))))
        return total
    total = dict(parts[0])
    for part in parts[1:]:  # the documents already scored get their sum, the others the part's score
        common = list(total.keys() & part.keys())
        sums = list(map(add, map(total.__getitem__, common), map(part.__getitem__, common)))
        total.update(part)
        total.update(zip(common, sums))
    return total


def _has_positions(view, fieldname: str) -> bool:
    field = view.searcher.schema[fieldname] if fieldname in view.searcher.schema else None
    return field is not None and field.format is not None and field.format.supports("positions")


def _phrase_scores(view, phrase) -> dict[int, float]:
    """Like Whoosh: the sum of the words' BM25F scores, in the documents where the words follow each
    other. The candidates come from the pair field when the index has it (phrases.py); else each
    word's posting blocks are read whole, once, for its weights and positions together."""
    searcher, fieldname, words = view.searcher, phrase.fieldname, phrase.words
    reader = searcher.reader()
    if len(words) < 2:
        return _summed([_term_scores(view, wq.Term(fieldname, word, boost=phrase.boost)) for word in words], True)
    if not all(reader.doc_frequency(fieldname, word) for word in words):
        return {}
    field, pairs = searcher.schema[fieldname], phrase_pairs(searcher.schema, fieldname, words)
    idfs = [searcher.idf(fieldname, word) for word in words]
    decoders = [_position_decoder(view, field.format, shift) for shift in range(len(words))]
    score = _bm25_scorer(searcher.weighting.K1 + 1, phrase.boost, field.scorable)
    scores: dict[int, float] = {}
    for leaf, offset in reader.leaf_readers():
        postings, candidates = _phrase_postings(leaf, fieldname, words, pairs)
        norms = field_norms(view, leaf, fieldname) if field.scorable and candidates else None
        for docnum in candidates:
            entries = [word_postings[docnum] for word_postings in postings]
            if _positions_follow(decoders, entries):
                total = score(idfs[0], entries[0][0], norms, docnum)
                for idf, (weight, _) in zip(idfs[1:], entries[1:]):
                    total += score(idf, weight, norms, docnum)
                scores[offset + docnum] = total
    return scores


def _phrase_postings(leaf, fieldname: str, words, pairs) -> tuple[list[dict], list[int] | set[int]]:
    """Each word's {docnum: (weight, encoded positions or None)} and the documents to check."""
    if not pairs:
        postings = [_weights_and_positions(leaf, fieldname, word) for word in words]
        return postings, set(min(postings, key=len)).intersection(*postings)
    candidates = pair_candidates(leaf, fieldname, pairs)
    if not candidates:
        return [], candidates
    values = len(words) > 2  # two words holding their pair are a match: no positions to read
    postings = [candidate_postings(leaf, fieldname, word, candidates, values) for word in words]
    if len(pairs) < len(words) - 1:  # a stop word in no pair: not every candidate holds it
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
    """One word's BM25F score in one document, exactly as _term_scores computes it."""
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
    if type(matcher) is not W3LeafMatcher:
        while matcher.is_active():
            found[matcher.id()] = (matcher.weight(), matcher.value())
            matcher.next()
    else:
        while matcher.is_active():
            read_ids(matcher)  # whoosh3 3.54: the current block's ids, weights and encoded positions
            matcher._read_weights()
            matcher._read_values()
            found.update(zip(matcher._ids, zip(matcher._weights, matcher._values)))
            next_block(matcher)
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


def _whoosh_scores(view, query) -> dict[int, float]:
    searcher = view.searcher
    context = searcher.context(weighting=searcher.weighting)
    scores = {}
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = query.matcher(subsearcher, context)
        while matcher.is_active():
            scores[offset + matcher.id()] = matcher.score()
            matcher.next()
    return scores


def _term_scores(view, term) -> dict[int, float]:
    searcher, fieldname = view.searcher, term.fieldname
    if fieldname not in searcher.schema or not searcher.reader().doc_frequency(fieldname, term.text):
        return {}  # like Whoosh, which never builds a scorer (nor an idf) for an absent term
    scorable = searcher.schema[fieldname].scorable
    idf, boost = searcher.idf(fieldname, term.text), term.boost
    k1_plus_1 = searcher.weighting.K1 + 1
    scores: dict[int, float] = {}
    for leaf, offset in searcher.reader().leaf_readers():
        norms = field_norms(view, leaf, fieldname) if scorable else None
        for ids, weights in _posting_blocks(leaf, fieldname, term.text):
            if scorable:  # BM25F exactly as Whoosh computes it, a block at a time
                weights = [idf * ((w * k1_plus_1) / (w + norms[d])) for d, w in zip(ids, weights)]
            if boost != 1.0:
                weights = [w * boost for w in weights]
            scores.update(zip(map(offset.__add__, ids) if offset else ids, weights))
    return scores


def _posting_blocks(leaf, fieldname: str, text):
    """(segment docnums, weights) of a term's undeleted postings, a block at a time."""
    matcher, deleted = leaf_postings(leaf, fieldname, text)
    if matcher is None:
        return
    if type(matcher) is not W3LeafMatcher:
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
        blocks = [tuple(zip(*pairs))] if pairs else []
    else:
        blocks = _raw_blocks(matcher)
    for ids, weights in blocks:
        if deleted and not deleted.isdisjoint(ids):
            kept = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
            ids, weights = [d for d, _ in kept], [w for _, w in kept]
        yield ids, weights


def _raw_blocks(matcher):
    while matcher.is_active():
        read_ids(matcher)  # whoosh3 3.54: the current block's ids and weights
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        next_block(matcher)


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
        reader = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)  # whoosh3 3.54
        cache[key] = array("i", map(BYTE_LENGTHS.__getitem__, _length_codes(reader, leaf.doc_count_all())))
    return cache[key]


def _length_codes(reader, doc_count: int) -> bytes:
    """The one-byte length codes of every document: one read, not one call per document."""
    if reader is None:
        return bytes(doc_count)
    if getattr(reader, "_fixedlen", None) != 1:
        return bytes(reader.load())
    raw = bytes(reader._dbfile.get(reader._basepos, reader._count))  # whoosh3 3.54 NumericColumn("B")
    return raw + bytes(doc_count - len(raw))
