"""What one search may spend: postings read and seconds taken (the query's cost limit).

A search's cost is, above all, the postings its terms and phrases read, and a plain two-word query
of frequent words ("médiation numérique") reads about 4 per document of the index, plus 1.5 for
the speaker box. The budget allows WORK_PER_DOCUMENT postings per document (never fewer than
MIN_WORK), so a search costs at most about 5 times such a query whatever the size of the index,
and QUERY_SECONDS of wall-clock time, a backstop for a slow disk or a loaded machine.

Each step (a term or phrase of the query, the speaker box) asks `allows(cost)` before it runs: a
step beyond the budget is not run and matches nothing, and every later step is refused too, so a
search over budget answers what it found so far and says so (SearchResult.is_partial). Only
whole steps run, never part of one: a partial result holds true matches only.
"""
import time

from whoosh import query as wq

from . import whoosh_internals
from .phrases import pair_terms

WORK_PER_DOCUMENT = 20
MIN_WORK = 200_000  # a small index is never cut short: a term there reads a few postings
QUERY_SECONDS = 3.0  # a backstop: the plain query takes about 0.85 s at 50,000 talks (bench/search_limits.py)
POSITIONS_COST = 2  # a posting read with its positions costs about two without


class QueryBudget:
    """The postings and the time one search has left; once spent, it stays spent."""

    def __init__(self, postings: int, seconds: float):
        self.postings_left = postings
        self.deadline = time.monotonic() + seconds
        self.is_spent = False

    @classmethod
    def for_index(cls, doc_count: int, seconds: float = QUERY_SECONDS) -> "QueryBudget":
        return cls(max(MIN_WORK, WORK_PER_DOCUMENT * doc_count), seconds)

    def allows(self, postings: int) -> bool:
        """Whether a step reading that many postings may run (then they are charged)."""
        if self.is_spent or postings > self.postings_left or time.monotonic() >= self.deadline:
            self.is_spent = True
            return False
        self.postings_left -= postings
        return True

    def exhaust(self) -> None:
        """Mark the budget spent (a step that Whoosh ran found it out)."""
        self.is_spent = True

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


def allows_query(budget: QueryBudget | None, searcher, query, through_pairs: bool = False) -> bool:
    """Whether a query (a leaf of the talks' query tree, the speaker box) may run, its postings then
    charged; True without a budget. `through_pairs`: a phrase is evaluated through its pair terms."""
    if budget is None:
        return True
    return not budget.is_spent and budget.allows(query_cost(searcher, query, through_pairs))


def query_cost(searcher, query, through_pairs: bool = False) -> int:
    """The postings a query reads: a term's documents, a phrase's (phrase_cost), its parts' for a
    compound query, every document for anything else."""
    kind = type(query)
    if kind is wq.Term:
        return _frequency(searcher, query.fieldname, query.text)
    if kind is wq.Phrase:
        return phrase_cost(searcher, query, through_pairs)
    parts = [query.a, query.b] if kind is wq.AndNot else getattr(query, "subqueries", None)
    if parts is None:
        return searcher.doc_count_all()
    return sum(query_cost(searcher, part, through_pairs) for part in parts)


def phrase_cost(searcher, phrase, through_pairs: bool = False) -> int:
    """A phrase matched by Whoosh, or without pair terms, reads its words' postings with their
    positions; through pair terms (the fast path), their postings, then its words' only in the
    documents that hold the rarest pair."""
    words = [_frequency(searcher, phrase.fieldname, word) for word in phrase.words]
    through_pairs = through_pairs and whoosh_internals.fast_path_enabled()
    pairs = pair_terms(searcher.schema, phrase.fieldname, phrase.words) if through_pairs else []
    if not pairs:
        return POSITIONS_COST * sum(words)
    frequencies = [_frequency(searcher, fieldname, text) for fieldname, text in pairs]
    return sum(frequencies) + POSITIONS_COST * len(words) * min(frequencies)


def _frequency(searcher, fieldname: str, text) -> int:
    return searcher.doc_frequency(fieldname, text) if fieldname in searcher.schema else 0
