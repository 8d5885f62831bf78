"""Whoosh field types whose indexing skips the generic token pipeline.

Whoosh indexes a text by pulling one Token object per word through a chain of generators,
then encoding each term's positions. Our chains are always CompoundTokenizer followed by one
per-word filter with a cached `term()` method, so the same postings can be computed in one
pass (analysis.term_positions) at a fraction of the cost. Postings are byte for byte the
ones the generic path gives; any other analyzer falls back to it.
"""
from operator import sub
from pickle import dumps

from whoosh import formats
from whoosh.fields import NUMERIC, TEXT
from whoosh.system import pack_uint

from .analysis import CompoundTokenizer, term_positions

ONE_POSITION_CACHE = 4096
_ONE_POSITION_CODES: dict[int, bytes] = {}  # the same for every Positions field


def _term_function(analyzer):
    """The cached per-word term function of one of our chains, or None for any other analyzer."""
    items = getattr(analyzer, "items", ())
    if len(items) == 2 and isinstance(items[0], CompoundTokenizer) and hasattr(items[1], "term"):
        return items[1].term
    return None


class FastText(TEXT):
    """TEXT indexed in one pass by our analysis chains (Positions or Frequency format)."""

    def index(self, value, **kwargs):
        postings = self.postings(value)
        if postings is None:
            yield from super().index(value, **kwargs)
            return
        yield from postings

    def postings(self, value) -> list | None:
        """[(term bytes, frequency, weight, encoded value)] of a value, None for the generic path."""
        term = _term_function(self.analyzer)
        kind = type(self.format)
        if term is None or not isinstance(value, str) or kind not in (formats.Positions, formats.Frequency):
            return None
        boost = self.format.field_boost
        items = term_positions(value, term).items()
        if kind is formats.Frequency:
            return [(text.encode("utf-8"), len(p), len(p) * boost, pack_uint(len(p))) for text, p in items]
        return [(text.encode("utf-8"), len(p), len(p) * boost, _positions_code(p)) for text, p in items]

    def generic_postings(self, value: str) -> list:
        """The postings of Whoosh's own per-token pipeline: the reference the fast path matches."""
        return list(super().index(value))


def _positions_code(positions: list[int]) -> bytes:
    """formats.Positions.encode(positions), with one-position lists memoised."""
    if len(positions) > 1:
        deltas = [positions[0], *map(sub, positions[1:], positions)]
        return pack_uint(len(deltas)) + dumps(deltas, 2)
    code = _ONE_POSITION_CODES.get(positions[0])
    if code is None:
        code = pack_uint(1) + dumps(positions, 2)
        if len(_ONE_POSITION_CODES) < ONE_POSITION_CACHE:
            _ONE_POSITION_CODES[positions[0]] = code
    return code


def date_field() -> NUMERIC:
    """A date as a day ordinal, for sorting (a column); one term per document, not eight."""
    return NUMERIC(int, bits=32, sortable=True, default=0, shift_step=0)
