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

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.util.numeric import byte_to_length

from .matchset import leaf_postings, matching_docnums

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
    if every:
        parts.sort(key=len)
        common = set(parts[0]).intersection(*parts[1:]) if parts else set()
        parts = [{docnum: part[docnum] for docnum in common} for part in parts]
    total: dict[int, float] = {}
    for part in parts:
        for docnum, score in part.items():
            total[docnum] = total[docnum] + score if docnum in total else score
    return total


def _has_positions(view, fieldname: str) -> bool:
    field = view.searcher.schema[fieldname] if fieldname in view.searcher.schema else None
    return field is not None and field.format is not None and field.format.supports("positions")


def _phrase_scores(view, phrase) -> dict[int, float]:
    terms = [wq.Term(phrase.fieldname, word, boost=phrase.boost) for word in phrase.words]
    scores = _summed([_term_scores(view, term) for term in terms], every=True)
    if len(terms) < 2 or not scores:
        return scores
    return {docnum: scores[docnum] for docnum in _adjacent(view, phrase, scores.keys())}


def _adjacent(view, phrase, candidates) -> list[int]:
    """The candidates where the phrase's words occur at consecutive positions."""
    found = []
    for leaf, offset in view.searcher.reader().leaf_readers():
        local = {docnum - offset for docnum in candidates if offset <= docnum < offset + leaf.doc_count_all()}
        if not local:
            continue
        positions = [_positions(leaf, phrase.fieldname, word, local) for word in phrase.words]
        for docnum in local:
            sets = [word_positions[docnum] for word_positions in positions]
            if any(all(start + i in later for i, later in enumerate(sets[1:], 1)) for start in sets[0]):
                found.append(offset + docnum)
    return found


def _positions(leaf, fieldname: str, text, wanted: set[int]) -> dict[int, set[int]]:
    """Segment docnum -> positions of the term, for the wanted documents only."""
    matcher, _deleted = leaf_postings(leaf, fieldname, text)
    decode = leaf.schema[fieldname].format.decode_positions
    found = {}
    if type(matcher) is not W3LeafMatcher:
        while matcher.is_active():
            if matcher.id() in wanted:
                found[matcher.id()] = set(decode(matcher.value()))
            matcher.next()
        return found
    while matcher.is_active():
        matcher._read_ids()  # whoosh3 3.54: the current block's ids and encoded positions
        matcher._read_values()
        for docnum, value in zip(matcher._ids, matcher._values):
            if docnum in wanted:
                found[docnum] = set(decode(value))
        matcher._next_block()
    return found


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
    weighting = searcher.weighting
    idf, avgfl = searcher.idf(fieldname, term.text), searcher.avg_field_length(fieldname) or 1
    k1, b, boost = weighting.K1, weighting.B, term.boost
    scores: dict[int, float] = {}
    for leaf, offset in searcher.reader().leaf_readers():
        lengths = field_lengths(view, leaf, fieldname)
        for docnum, weight in _postings(leaf, fieldname, term.text):
            if scorable:
                fl = lengths[docnum]
                weight = idf * ((weight * (k1 + 1)) / (weight + k1 * ((1 - b) + b * fl / avgfl)))
            scores[offset + docnum] = weight * boost if boost != 1.0 else weight
    return scores


def _postings(leaf, fieldname: str, text):
    """(segment docnum, weight) of a term's undeleted postings, decoded a block at a time."""
    matcher, deleted = leaf_postings(leaf, fieldname, text)
    if matcher is None:
        return
    if type(matcher) is not W3LeafMatcher:
        pairs = []
        while matcher.is_active():
            pairs.append((matcher.id(), matcher.weight()))
            matcher.next()
    else:
        pairs = _block_pairs(matcher)
    for docnum, weight in pairs:
        if docnum not in deleted:
            yield docnum, weight


def _block_pairs(matcher):
    while matcher.is_active():
        matcher._read_ids()  # whoosh3 3.54: the current block's ids and weights
        matcher._read_weights()
        yield from zip(matcher._ids, matcher._weights)
        matcher._next_block()


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
