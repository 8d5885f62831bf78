"""Per-document facet values held compactly: one array of small ints per facet.

Each document's value for a facet is a tuple of strings (empty, one value, or several for tags
and speakers). Distinct tuples are stored once in a table; a document holds the index of its
tuple in an ``array('i')``. Counting facets over a set of matches then runs at C speed
(``map`` over the arrays into a ``Counter``), and 100,000 documents cost a few megabytes.
"""
import sys
from array import array
from collections import Counter
from itertools import chain

from .collect import recency_bonus
from .schema import FACET_NAMES, FACET_SEPARATOR, LIST_SEPARATOR

LIST_FACETS = ("tag", "speaker")
FEW_CODES = 8  # count codes first when the documents outnumber the distinct value tuples this much
EMPTY_FIELDS = ("",) * len(FACET_NAMES) + ("0",)


class FacetColumn:
    """Codes per document and the distinct value tuples they point at."""

    def __init__(self):
        self.codes = array("i")
        self.table: list[tuple[str, ...]] = []
        self._index: dict[tuple[str, ...], int] = {}

    def append(self, values: tuple[str, ...]) -> None:
        self.codes.append(self._code(values))

    def extend(self, other: "FacetColumn") -> None:
        """Append another column's documents, re-coding its tuples into this table."""
        recode = [self._code(values) for values in other.table]
        self.codes.extend(map(recode.__getitem__, other.codes))

    def _code(self, values: tuple[str, ...]) -> int:
        code = self._index.get(values)
        if code is None:
            code = self._index[values] = len(self.table)
            self.table.append(values)
        return code

    def count(self, docnums) -> Counter:
        """Value counts over the documents: their codes counted first when few distinct codes occur
        (one value per document: language, year...), else every document's values chained."""
        if len(self.table) * FEW_CODES > len(docnums):
            return Counter(chain.from_iterable(map(self.table.__getitem__, map(self.codes.__getitem__, docnums))))
        counts: Counter = Counter()
        for code, number in Counter(map(self.codes.__getitem__, docnums)).items():
            for value in self.table[code]:
                counts[value] += number
        return counts


def _values(facet: str, text: str) -> tuple[str, ...]:
    if facet in LIST_FACETS:
        return tuple(map(sys.intern, text.split(LIST_SEPARATOR))) if text else ()
    return (sys.intern(text),)


class FacetTable:
    """The facet values and date ordinal of every document of a reader, in docnum order."""

    def __init__(self):
        self.columns = {name: FacetColumn() for name in FACET_NAMES}
        self.ordinals = array("i")
        self.bonuses = array("d")  # collect.recency_bonus of each document's date

    def add_blob(self, blob: bytes | None) -> None:
        fields = blob.decode("utf-8").split(FACET_SEPARATOR) if blob else EMPTY_FIELDS
        for name, text in zip(FACET_NAMES, fields):
            self.columns[name].append(_values(name, text))
        self.ordinals.append(int(fields[-1] or 0))
        self.bonuses.append(recency_bonus(self.ordinals[-1]))

    def extend(self, other: "FacetTable") -> None:
        for name, column in self.columns.items():
            column.extend(other.columns[name])
        self.ordinals.extend(other.ordinals)
        self.bonuses.extend(other.bonuses)

    def count(self, docnums) -> dict[str, dict[str, int]]:
        """Facet counts over the given documents (a sorted sequence, read once per facet)."""
        counts = {}
        for name, column in self.columns.items():
            counter = column.count(docnums)
            counter.pop("", None)
            counts[name] = dict(counter.most_common())
        return counts


def segment_table(blobs, doc_count: int) -> FacetTable:
    """The facet table of one segment from its `facets` column (None: no column)."""
    table = FacetTable()
    for blob in (blobs if blobs is not None else [None] * doc_count):
        table.add_blob(blob)
    return table
