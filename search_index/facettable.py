"""Per-document facet values held compactly: arrays of small ints.

A document's tags and its speakers are each a tuple of strings (empty, one value or several), and
its single values (event, year, language, slides, transcript) one tuple together. Distinct tuples are stored
once in a table; a document holds the index of its tuple in an ``array('i')``. Counting facets over
a set of matches then runs at C speed (``map`` over the arrays into a ``Counter``), three passes
over the matches, and 100,000 documents cost a few megabytes.
"""
import sys
from array import array
from collections import Counter
from heapq import nlargest
from itertools import chain

from .collect import recency_bonus
from .schema import FACET_NAMES, FACET_SEPARATOR, LIST_SEPARATOR

LIST_FACETS = ("tag", "speaker")
SINGLE_FACETS = tuple(name for name in FACET_NAMES if name not in LIST_FACETS)
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


def _list_values(text: str) -> tuple[str, ...]:
    return tuple(map(sys.intern, text.split(LIST_SEPARATOR))) if text else ()


class FacetTable:
    """The facet values and date ordinal of every document of a reader, in docnum order: a column
    per list facet, and one column for the tuple of a document's single values (event, year,
    language, slides), which are then counted together, in one pass over the matches."""

    def __init__(self):
        self.lists = {name: FacetColumn() for name in LIST_FACETS}
        self.singles = FacetColumn()  # values in SINGLE_FACETS order
        self.ordinals = array("i")
        self.bonuses = array("d")  # collect.recency_bonus of each document's date

    def add_blob(self, blob: bytes | None) -> None:
        fields = blob.decode("utf-8").split(FACET_SEPARATOR) if blob else EMPTY_FIELDS
        values = dict(zip(FACET_NAMES, fields[:-1]))  # a blob written before a facet was added lacks it
        for name, column in self.lists.items():
            column.append(_list_values(values.get(name, "")))
        self.singles.append(tuple(sys.intern(values.get(name, "")) for name in SINGLE_FACETS))
        self.ordinals.append(int(fields[-1] or 0))
        self.bonuses.append(recency_bonus(self.ordinals[-1]))

    def extend(self, other: "FacetTable") -> None:
        for name, column in self.lists.items():
            column.extend(other.lists[name])
        self.singles.extend(other.singles)
        self.ordinals.extend(other.ordinals)
        self.bonuses.extend(other.bonuses)

    def count(self, docnums, limit: int, kept: dict[str, str] | None = None) -> tuple[dict, dict[str, int]]:
        """The `limit` most frequent values of each facet over the given documents (a sorted
        sequence, read in order) with their counts, most frequent first (equal counts in value order), a facet's
        value in `kept` always among them; and how many other values each has."""
        counters = {name: column.count(docnums) for name, column in self.lists.items()}
        counters.update(self._single_counts(docnums))
        counts, others = {}, {}
        for name in FACET_NAMES:
            counter = counters[name]
            counter.pop("", None)
            counts[name] = top_values(counter, limit, (kept or {}).get(name))
            others[name] = len(counter) - len(counts[name])
        return counts, others

    def _single_counts(self, docnums) -> dict[str, Counter]:
        """The single-valued facets' counts: the documents per tuple of values (one pass, in C), then
        per value (a pass over the distinct tuples, far fewer than the documents)."""
        counters = {name: Counter() for name in SINGLE_FACETS}
        table = self.singles.table
        for code, number in Counter(map(self.singles.codes.__getitem__, docnums)).items():
            for counter, value in zip(counters.values(), table[code]):
                counter[value] += number
        return counters


def _rank(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def top_values(counter: Counter, limit: int, kept: str | None = None) -> dict[str, int]:
    """The `limit` most frequent values (equal counts in value order), and `kept` if counted.

    Only the values counted at least as often as the limit-th are sorted: the heap runs over
    bare counts, in C."""
    if len(counter) > limit:
        threshold = nlargest(limit, counter.values())[-1]
        ranked = sorted((item for item in counter.items() if item[1] >= threshold), key=_rank)[:limit]
    else:
        ranked = sorted(counter.items(), key=_rank)
    if kept is not None and kept in counter and all(value != kept for value, _ in ranked):
        ranked = sorted([*ranked, (kept, counter[kept])], key=_rank)
    return dict(ranked)


def segment_table(blobs, doc_count: int) -> FacetTable:
    """The facet table of one segment from its `facets` column (None: no column)."""
    table = FacetTable()
    for blob in (blobs if blobs is not None else [None] * doc_count):
        table.add_blob(blob)
    return table
