"""Searching an IndexView: talks with facets and highlights, speakers, "did you mean".

Each search has a budget (budget.QueryBudget): the talks' terms and phrases, then the speaker
box, then "did you mean" spend it in that order, and a search over budget answers what it found
(SearchResult.is_partial). Nothing found over budget is memoised.
"""
import json
import unicodedata
from heapq import nlargest

from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector
from whoosh.searching import TimeLimit

from . import whoosh_internals
from .accumulate import match_scores
from .analysis import analyze, fold
from .budget import QUERY_SECONDS, QueryBudget, allows_query
from .collect import newest, ranked
from .highlight import talk_highlights
from .matchset import matching_docnums
from .models import Hit, SearchRequest, SearchResult
from .most_words import most_words_page
from .query import (
    SPEAKER_FIELDS,
    TALK_FIELDS,
    ParsedQuery,
    build_query,
    highlight_terms,
    indexed_in,
    parse_query,
    plain_words,
    query_text,
)
from .reader import IndexView

SPEAKER_BOX_SIZE = 5
SPELLING_BELOW = 5
SPELLING_WORDS = 8  # "did you mean" looks at the first words only: each costs a walk of the dictionary
MEMO_SIZE = 64
ALLOWED_MEMO_SIZE = 4  # sets of up to every docnum: a few megabytes each at 100,000 talks
FILTER_FIELDS = {"tag": "tag", "event": "event_slug", "speaker": "speaker_slug", "year": "year",
                 "language": "language", "has_slides": "has_slides",
                 "has_transcript": "has_transcript"}  # facet -> the field a filter on it reads


def _flag(value: bool | None) -> str | None:
    return None if value is None else str(bool(value)).lower()


def _filter_values(request: SearchRequest) -> dict[str, str]:
    """Facet -> the value the request filters on, as the index holds it (for those it filters on)."""
    values = {"tag": request.tag, "event": request.event, "speaker": request.speaker,
              "year": str(request.year) if request.year is not None else None, "language": request.lang,
              "has_slides": _flag(request.has_slides), "has_transcript": _flag(request.has_transcript)}
    return {facet: value for facet, value in values.items() if value is not None}


def _filter_terms(request: SearchRequest) -> list:
    """The request's filters as zero-weight terms (they narrow, they do not score)."""
    pairs = [("type", "talk"), *((FILTER_FIELDS[facet], value) for facet, value in _filter_values(request).items())]
    return [wq.Term(name, value, boost=0.0) for name, value in pairs]


def _combined(text_query, request: SearchRequest):
    terms = _filter_terms(request)
    return wq.And([text_query, *terms]) if text_query is not None else wq.And(terms)


def _remember(view: IndexView, key: str, value, memo: dict | None = None, size: int = MEMO_SIZE):
    memo = view.memo if memo is None else memo
    if len(memo) >= size:
        memo.pop(next(iter(memo)))
    memo[key] = value
    return value


def _facets_and_total(view: IndexView, combined, request: SearchRequest, docnums: list[int] | None = None,
                      budget: QueryBudget | None = None) -> tuple[dict, dict, int]:
    """The top facet values, the number of the others and the total of a query, counted once from
    its matches, memoised per searcher (unless the budget ran out: they count then the matches found)."""
    key = (repr(combined), request.facet_limit)
    if key in view.memo:
        return view.memo[key]
    docnums = matching_docnums(view.searcher, combined, budget) if docnums is None else docnums
    facets, others = view.facets.count(docnums, request.facet_limit, _filter_values(request))  # active: listed
    answer = facets, others, len(docnums)
    return answer if budget is not None and budget.is_spent else _remember(view, key, answer)


def _total(view: IndexView, combined, budget: QueryBudget | None = None) -> int:
    """How many documents a query matches (of those the budget lets it find), memoised per searcher."""
    key = ("total", repr(combined))
    if key in view.memo:
        return view.memo[key]
    total = len(matching_docnums(view.searcher, combined, budget))
    return total if budget is not None and budget.is_spent else _remember(view, key, total)


def _allowed(view: IndexView, request: SearchRequest) -> set[int]:
    """The documents the request's filters let through, memoised per searcher."""
    filters = _combined(None, request)
    key = repr(filters)
    if key not in view.allowed:
        _remember(view, key, set(matching_docnums(view.searcher, filters)), view.allowed, ALLOWED_MEMO_SIZE)
    return view.allowed[key]


def talk_docnums(view: IndexView) -> set[int]:
    """Every talk of the index (no filter), memoised per searcher."""
    return _allowed(view, SearchRequest())


def _page_of_matches(view: IndexView, text_query, request: SearchRequest, budget: QueryBudget, leaves: dict):
    """[(score, docnum)] of the requested page, and every matching docnum (`leaves`: the scores of
    the query's terms and phrases, when it is ranked by them)."""
    wanted, allowed = request.page * request.per_page, _allowed(view, request)
    if text_query is None or request.sort == "date":
        docnums = sorted(allowed) if text_query is None else sorted(
            allowed.intersection(matching_docnums(view.searcher, text_query, budget)))
        top = [(0.0, docnum) for docnum in newest(docnums, view.ordinals, wanted, view.date_order)]
        return top[wanted - request.per_page:], docnums
    top, docnums = ranked(view, text_query, wanted, allowed, budget, leaves)
    return top[wanted - request.per_page:], docnums


def _hits(view: IndexView, page: list[tuple[float, int]], terms) -> list[Hit]:
    hits = []
    for score, docnum in page:
        stored = view.searcher.stored_fields(docnum)
        data = json.loads(stored.get("data") or "{}")
        highlights, slide_page, second = talk_highlights(data, terms)
        hits.append(Hit(id=stored["id"], slug=stored.get("slug") or "", score=float(score),
                        highlights=highlights, slide_page=slide_page, transcript_second=second))
    return hits


def search_talks(view: IndexView, request: SearchRequest, seconds: float = QUERY_SECONDS) -> SearchResult:
    """The contract's search: one page of talks, facets, speakers and a spelling suggestion,
    within a budget of postings and of `seconds`."""
    request, budget = request.normalised(), QueryBudget.for_index(view.searcher.doc_count(), seconds)
    parsed = parse_query(request.q)
    text_query = build_query(parsed, TALK_FIELDS, indexed_in(view.searcher))
    leaves: dict = {}  # the scores of the query's terms and phrases: the speaker box reads them again
    page, docnums = _page_of_matches(view, text_query, request, budget, leaves)
    facets, others, total = _facets_and_total(view, _combined(text_query, request), request, docnums, budget)
    relaxed = None if total or budget.is_spent else most_words_page(view, parsed, request, _allowed(view, request),
                                                                    budget)
    if relaxed is not None:  # no talk has every word: those with most of them (not memoised: the key is strict)
        page, docnums = relaxed
        facets, others = view.facets.count(docnums, request.facet_limit, _filter_values(request))
    result = SearchResult(total=len(docnums) if relaxed else total, page=request.page, per_page=request.per_page,
                          facets=facets, facet_others=others, hits=_hits(view, page, highlight_terms(parsed)),
                          is_query_truncated=parsed.is_truncated, is_relaxed=relaxed is not None)
    if text_query is not None:
        result.speakers = matching_speakers(view, parsed, budget, leaves)
    result.is_partial = budget.is_spent
    if text_query is not None and total < SPELLING_BELOW and not budget.is_spent:
        result.suggestion = spelling_suggestion(view, parsed, request, total, budget)
    return result


def matching_speakers(view: IndexView, parsed: ParsedQuery, budget: QueryBudget | None = None,
                      leaves: dict | None = None) -> list[dict]:
    """Speaker documents matching the query, for a side box (none when over budget).

    `leaves`: the scores the talks' ranking computed (accumulate.match_scores). The box searches the
    same words in the same fields, so on the fast path it takes their scores in the speaker documents
    from there rather than reading the postings again; without them, Whoosh searches."""
    has_term = indexed_in(view.searcher)
    speaker_query = build_query(parsed, SPEAKER_FIELDS, has_term) if parsed.positive_clauses() else None
    if speaker_query is None:
        return []
    combined = wq.And([speaker_query, wq.Term("type", "speaker", boost=0.0)])
    if not allows_query(budget, view.searcher, combined):
        return []
    if leaves and whoosh_internals.fast_path_enabled():
        return _speakers_from_leaves(view, speaker_query, leaves)
    return [_speaker_entry(hit, hit.score) for hit in _top_speakers(view.searcher, combined, budget)]


def _speaker_entry(stored, score: float | None) -> dict:
    data = json.loads(stored.get("data") or "{}")
    return {"slug": stored["slug"], "name": data.get("name") or "", "score": float(score or 0.0)}


def _speakers_from_leaves(view: IndexView, speaker_query, leaves: dict) -> list[dict]:
    """The top speaker documents as Whoosh ranks them (score times the recency bonus, equal scores
    in document order), scored among the speaker documents from the leaves already read."""
    scores = match_scores(view, speaker_query, None, leaves, _speaker_docnums(view))
    bonuses = view.facets.bonuses
    best = nlargest(SPEAKER_BOX_SIZE, ((score * bonuses[docnum], -docnum) for docnum, score in scores.items()))
    return [_speaker_entry(view.searcher.stored_fields(-negated), score) for score, negated in best]


def _speaker_docnums(view: IndexView) -> set[int]:
    """Every speaker document, memoised per searcher."""
    key = ("speaker documents",)
    if key not in view.memo:
        _remember(view, key, set(matching_docnums(view.searcher, wq.Term("type", "speaker"))))
    return view.memo[key]


def _top_speakers(searcher, query, budget: QueryBudget | None):
    """Whoosh's top speaker documents, collected within the seconds the budget has left."""
    if budget is None:
        return searcher.search(query, limit=SPEAKER_BOX_SIZE)
    # No SIGALRM: a signal could interrupt anything the process does, not only this search.
    collector = TimeLimitCollector(searcher.collector(limit=SPEAKER_BOX_SIZE), budget.seconds_left(),
                                   use_alarm=False)
    try:
        searcher.search_with_collector(query, collector)
    except TimeLimit:
        budget.exhaust()  # the speakers collected so far are kept
    return collector.results()


def is_known_word(view: IndexView, word: str) -> bool:
    """True if the word is in the spelling dictionary or (stemmed) in some summary."""
    doc_frequency = view.searcher.doc_frequency
    if doc_frequency("spell", word):
        return True
    return any(doc_frequency(f"summary_{chain}", term) for chain in ("fr", "en")
               for term in analyze(word, chain))


def corrected_word(view: IndexView, word: str) -> str | None:
    """A better-known spelling of a word from the indexed words, or None if it looks fine."""
    word = unicodedata.normalize("NFC", word).casefold()
    if len(word) < 3 or not word.isalpha() or is_known_word(view, word):
        return None
    candidates = view.searcher.corrector("spell").suggest(word, limit=5, maxdist=2, prefix=1)
    if not candidates or any(fold(candidate) == fold(word) for candidate in candidates):
        return None
    return candidates[0]


def spelling_suggestion(view: IndexView, parsed: ParsedQuery, request: SearchRequest, total: int,
                        budget: QueryBudget | None = None) -> str | None:
    """ "Did you mean": the query with corrected words, only if it finds more talks (of those the
    budget lets it count)."""
    replacements = {}
    for clause in plain_words(parsed)[:SPELLING_WORDS]:
        better = corrected_word(view, clause.text)
        if better:
            replacements[clause.text] = better
    if not replacements:
        return None
    suggestion = query_text(parsed, replacements)
    corrected_query = build_query(parse_query(suggestion), TALK_FIELDS)
    if corrected_query is None:
        return None
    return suggestion if _total(view, _combined(corrected_query, request), budget) > total else None
