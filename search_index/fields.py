"""Whoosh field types whose indexing skips the generic token pipeline.

Whoosh indexes a text by pulling one Token object per word through a chain of generators,
then encoding each term's positions. Our chains are always CompoundTokenizer followed by one
per-word filter with a cached `term()` method, so the same postings can be computed in one
pass (analysis.term_positions) at a fraction of the cost. Postings are byte for byte the
ones the generic path gives; any other analyzer falls back to it.
"""
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
        term = _term_function(self.analyzer)
        if term is None or not isinstance(value, str) or type(self.format) not in (formats.Positions,
                                                                                    formats.Frequency):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        with_positions = type(self.format) is formats.Positions
        for text, positions in term_positions(value, term).items():
            count = len(positions)
            code = self._positions_code(positions) if with_positions else pack_uint(count)
            yield text.encode("utf-8"), count, count * boost, code

    def generic_postings(self, value: str) -> list:
        """The postings of Whoosh's own per-token pipeline: the reference the fast path matches."""
        return list(super().index(value))

    def _positions_code(self, positions: list[int]) -> bytes:
        if len(positions) > 1:
            return self.format.encode(positions)
        code = _ONE_POSITION_CODES.get(positions[0])
        if code is None:
            code = self.format.encode(positions)
            if len(_ONE_POSITION_CODES) < ONE_POSITION_CACHE:
                _ONE_POSITION_CODES[positions[0]] = code
        return code


def date_field() -> NUMERIC:
    """A date as a day ordinal, for sorting (a column); one term per document, not eight."""
    return NUMERIC(int, bits=32, sortable=True, default=0, shift_step=0)
