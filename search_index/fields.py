"""Whoosh field types whose indexing skips the generic token pipeline.

Whoosh indexes a text by pulling one Token object per word through a chain of generators,
then encoding each term's positions. Our chains are always CompoundTokenizer followed by one
per-word filter with a cached `term()` method, so the same postings can be computed in one
pass (analysis.term_positions) at a fraction of the cost, their values encoded as Whoosh's
formats encode them (whoosh_internals.encoding). Postings are byte for byte the ones the generic
path gives; any other analyzer, and the public path (whoosh_internals), use the generic path.
"""
from whoosh import formats
from whoosh.fields import NUMERIC, TEXT, FieldType

from . import whoosh_internals
from .analysis import STOP_WORDS, CompoundTokenizer, term_positions

FAST_FORMATS = (formats.Positions, formats.Frequency)
RECENT_TEXTS = 64
_RECENT_POSITIONS: dict[tuple, dict[str, list[int]]] = {}  # the last document's texts, see positions_of


def _term_function(analyzer):
    """The cached per-word term function of one of our chains, or None for any other analyzer."""
    items = getattr(analyzer, "items", ())
    if len(items) == 2 and isinstance(items[0], CompoundTokenizer) and hasattr(items[1], "term"):
        return items[1].term
    return None


class FastText(TEXT):
    """TEXT indexed in one pass by our analysis chains (Positions or Frequency format)."""

    def index(self, value, **kwargs):
        postings = self.postings(value) if whoosh_internals.fast_path_enabled() else None
        if postings is None:
            yield from super().index(value, **kwargs)
            return
        yield from postings

    def positions(self, value) -> dict[str, list[int]] | None:
        """{term: [positions]} of a value, None where the generic path must index it."""
        term = _term_function(self.analyzer)
        if term is None or not isinstance(value, str) or type(self.format) not in FAST_FORMATS:
            return None
        return positions_of(value, term)

    def value_encoder(self):
        """Positions -> the encoded value of a posting, as Whoosh's format would give it (fast path only)."""
        return whoosh_internals.value_encoder(self.format)

    def postings(self, value) -> list | None:
        """[(term bytes, frequency, weight, encoded value)] of a value, None for the generic path."""
        places = self.positions(value)
        if places is None:
            return None
        boost, encode = self.format.field_boost, self.value_encoder()
        return [(text.encode("utf-8"), len(p), len(p) * boost, encode(p)) for text, p in places.items()]

    def generic_postings(self, value: str) -> list:
        """The postings of Whoosh's own per-token pipeline: the reference the fast path matches."""
        return list(super().index(value))


def positions_of(value: str, term) -> dict[str, list[int]]:
    """term_positions(value, term), remembered for the last few texts: the pair field analyses
    the same texts as the document's text fields, once."""
    key = (value, term)
    found = _RECENT_POSITIONS.get(key)
    if found is None:
        if len(_RECENT_POSITIONS) >= RECENT_TEXTS:
            _RECENT_POSITIONS.clear()
        found = _RECENT_POSITIONS[key] = term_positions(value, term)
    return found


def pair_term(fieldname: str, first: str, second: str) -> str:
    """The pair field's term for two consecutive terms of a text field."""
    return f"{fieldname} {first} {second}"


class PairField(FieldType):
    """Every two consecutive terms of a document's text fields, as one position-less term
    ("summary_fr mediat numer"): a two-word phrase is one term lookup. The value is a dict
    {text field name: text}; each text is analysed by its own field's chain.

    A pair holding a stop word's term ("mediat de") is left out: half the pairs of real text,
    seldom what a phrase hinges on. Phrases reach those documents through their other pairs or,
    failing any, through positions (phrases.phrase_pairs)."""

    def __init__(self, sources: dict):
        super().__init__(formats.Existence(), analyzer=None, scorable=False, stored=False)
        if any(_term_function(analyzer) is None for analyzer in sources.values()):
            raise ValueError("a pair field reads only texts analysed by our chains")
        self.sources = sources  # text field name -> its analyzer
        self.stop_terms = {name: frozenset(map(_term_function(analyzer), STOP_WORDS))
                           for name, analyzer in sources.items()}

    def index(self, value, **kwargs):
        return [(text.encode("utf-8"), 1, 1.0, b"") for text in self.pairs(value)]

    def skipped_terms(self, fieldname: str) -> frozenset:
        """Terms of this text field that make no pair (none in an index built before they were skipped)."""
        return getattr(self, "stop_terms", {}).get(fieldname, frozenset())

    def pairs(self, value: dict) -> set[str]:
        found: set[str] = set()
        for fieldname, text in value.items():
            prefix = pair_term(fieldname, "", "")[:-1]  # "field "
            stops = self.skipped_terms(fieldname)
            sequence = _terms_in_order(positions_of(text, _term_function(self.sources[fieldname])))
            if all(type(term) is str for term in sequence):  # one term per position: most texts
                kept = [None if term in stops else term for term in sequence]
                found.update(f"{prefix}{first} {second}" for first, second in zip(kept, kept[1:])
                             if first is not None and second is not None)
                continue
            for firsts, seconds in zip(sequence, sequence[1:]):
                found.update(pair_term(fieldname, first, second)
                             for first in _listed(firsts) if first not in stops
                             for second in _listed(seconds) if second not in stops)
        return found


def _terms_in_order(positions: dict[str, list[int]]) -> list:
    """The term at each position; a list of terms where a compound put several at one position."""
    sequence: list = [None] * sum(map(len, positions.values()))
    for term, places in positions.items():
        for place in places:
            sequence[place] = term
    if None not in sequence:  # as many positions as terms, none shared: no compound (most texts)
        return sequence
    sequence = [None] * len(sequence)
    for term, places in positions.items():
        for place in places:
            held = sequence[place]
            sequence[place] = term if held is None else [*_listed(held), term]
    while sequence and sequence[-1] is None:  # the room left by positions holding several terms
        sequence.pop()
    return sequence


def _listed(terms) -> list[str]:
    return terms if type(terms) is list else [] if terms is None else [terms]


def date_field() -> NUMERIC:
    """A date as a day ordinal, for sorting (a column); one term per document, not eight."""
    return NUMERIC(int, bits=32, sortable=True, default=0, shift_step=0)
