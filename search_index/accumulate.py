"""Exact BM25F scores of EVERY match of a query (the ranking then takes the top page).

For our queries (terms, Or, And, AndNot over the bilingual fields, phrases) a document's score is
the sum of its terms' and phrases' scores, so the query tree is evaluated here: Or and And add
their parts' scores (over any or over every part), AndNot keeps the scores of the documents the
excluded part does not match. The leaves are scored, on the fast path, a posting block at a time
(whoosh_internals.scoring); on the public path, and for any other query, by Whoosh's own matcher
(score() per document). Scores equal Whoosh's up to the order of float additions.

With a budget (budget.QueryBudget), a leaf is evaluated only if the budget allows it, else it
matches nothing: the scores are then those of a subset of the matches. AndNot evaluates what it
excludes first, so that what it keeps is never more than it should be.

A search's later steps reuse the leaves its ranking scored (`leaves`): the speaker box searches the
same words in the same fields, among the speaker documents only (`among`).
"""
from operator import add

from whoosh import query as wq

from . import whoosh_internals
from .budget import QueryBudget, allows_query
from .matchset import matching_docnums
from .phrases import pair_terms


def match_scores(view, query, budget: QueryBudget | None = None, leaves: dict | None = None,
                 among: set[int] | None = None) -> dict[int, float]:
    """Global docnum -> BM25F score (recency bonus not applied) of every document matching the query
    (of those the budget let it find).

    `leaves`: the scores of the terms and phrases this search already computed, {leaf key: (boost,
    scores)}, filled as it goes; a leaf found there is not read again, its scores are scaled to the
    boost asked. `among`: only these documents are wanted, and only their scores are answered."""
    kind = type(query)
    if kind in (wq.Or, wq.And, wq.AndNot) and query.boost == 1.0:
        return _compound_scores(view, query, budget, leaves, among)
    if not allows_query(budget, view.searcher, query, through_pairs=True):
        return {}
    key = _leaf_key(query) if leaves is not None else None
    if key is not None and key in leaves:
        return _rescaled(leaves[key], query.boost, among)
    scores = _leaf_scores(view, query)
    if key is not None and query.boost:
        leaves[key] = (query.boost, scores)
    return scores if among is None else {docnum: scores[docnum] for docnum in among.intersection(scores)}


def _leaf_scores(view, query) -> dict[int, float]:
    kind = type(query)
    if kind is wq.Term:
        return _term_scores(view, query)
    if kind is wq.Phrase and query.slop == 1 and _has_positions(view, query.fieldname):
        return _phrase_scores(view, query)
    return whoosh_scores(view, query)


def _leaf_key(query) -> tuple | None:
    """What a term or phrase reads, whatever its boost; None for any other query."""
    if type(query) is wq.Term:
        return "term", query.fieldname, query.text
    if type(query) is wq.Phrase:
        return "phrase", query.fieldname, tuple(query.words), query.slop
    return None


def _rescaled(known: tuple[float, dict[int, float]], boost: float, among: set[int] | None) -> dict[int, float]:
    """Scores computed with another boost, for this one (a boost multiplies every score)."""
    known_boost, scores = known
    docnums = scores.keys() if among is None else among.intersection(scores)
    if boost == known_boost:
        return dict(zip(docnums, map(scores.__getitem__, docnums)))
    ratio = boost / known_boost
    return {docnum: scores[docnum] * ratio for docnum in docnums}


def _compound_scores(view, query, budget: QueryBudget | None, leaves: dict | None,
                     among: set[int] | None) -> dict[int, float]:
    if type(query) is wq.AndNot:
        excluded = set(matching_docnums(view.searcher, query.b, budget))
        scores = match_scores(view, query.a, budget, leaves, among)
        return {docnum: score for docnum, score in scores.items() if docnum not in excluded}
    parts = [match_scores(view, sub, budget, leaves, among) for sub in query.subqueries]
    return _summed(parts, every=type(query) is wq.And)


def _term_scores(view, term) -> dict[int, float]:
    if whoosh_internals.fast_path_enabled():
        return whoosh_internals.term_scores(view, term)
    return whoosh_scores(view, term)


def _phrase_scores(view, phrase) -> dict[int, float]:
    if whoosh_internals.fast_path_enabled():
        pairs = pair_terms(view.searcher.schema, phrase.fieldname, phrase.words)
        return whoosh_internals.phrase_scores(view, phrase, pairs)
    return whoosh_scores(view, phrase)


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


def whoosh_scores(view, query) -> dict[int, float]:
    """Whoosh's own scores of the query's matches: its matcher, one document at a time."""
    searcher = view.searcher
    context = searcher.context(weighting=searcher.weighting)
    scores = {}
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = query.matcher(subsearcher, context)
        while matcher.is_active():
            scores[offset + matcher.id()] = matcher.score()
            matcher.next()
    return scores
