"""More like this: the talks whose text is nearest one talk's, found from that talk's own stored text.

The key terms of its title, summary and report sections (Bo1, per field of its language, both when
it has none; stop words never) make one weighted OR query over the other talks; the best matches
that share at least MIN_SHARED_WORDS of those words come first. A talk nothing is near has none.
"""
import json

from whoosh.query import Or, Term

from .analysis import STOP_WORDS
from .collect import ranked
from .engine import talk_docnums
from .schema import LANGUAGES

TEXT_FIELDS = ("title", "summary", "sections")
KEY_TERMS = 8  # per field: enough to find a neighbour, few enough to stay on topic
# A neighbour shares at least this many distinct key words (one common word, such as "python" or
# "politique", says little about two talks' subject).
MIN_SHARED_WORDS = 2


def _key_terms(searcher, stored: dict) -> list:
    languages = (stored["language"],) if stored.get("language") in LANGUAGES else LANGUAGES
    terms = []
    for name in TEXT_FIELDS:
        text = stored.get(name) or ""
        for lang in languages if text.strip() else ():
            field = f"{name}_{lang}"
            stops = _stop_terms(searcher.schema, field)
            terms += [Term(field, word, boost=weight)
                      for word, weight in searcher.key_terms_from_text(field, text, numterms=KEY_TERMS)
                      if word not in stops]
    return terms


_STOP_TERMS: dict[str, tuple[object, frozenset]] = {}  # field -> (its analyzer, the stop words it writes)


def _stop_terms(schema, field: str) -> frozenset:
    """The stop words as this field's analyzer writes them ("de", "the"): never a key term."""
    analyzer = schema[field].analyzer
    cached = _STOP_TERMS.get(field)
    if cached is None or cached[0] is not analyzer:
        cached = _STOP_TERMS[field] = (analyzer, frozenset(
            token.text for word in STOP_WORDS for token in analyzer(word)))
    return cached[1]


def similar_talks(view, doc_id: str, limit: int) -> list[str]:
    """Ids of the talks most like `doc_id` (itself left out), best first; [] when it is not indexed.

    Ranked as a search is (collect.ranked: BM25F a posting block at a time, the recency bonus),
    among the talks; the words each candidate shares are read off the scored terms."""
    searcher = view.searcher
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return []
    terms = _key_terms(searcher, json.loads(searcher.stored_fields(docnum).get("data") or "{}"))
    if not terms:
        return []
    leaves: dict = {}
    top, _matched = ranked(view, Or(terms), limit * 4 + 1, talk_docnums(view), leaves=leaves)  # room for
    # one-word matches, and for the talk itself, left out here
    close = [found for _score, found in top
             if found != docnum and _shared_words(found, leaves) >= MIN_SHARED_WORDS][:limit]
    return [searcher.stored_fields(found)["id"] for found in close]


def _shared_words(docnum: int, leaves: dict) -> int:
    """Distinct key words the document holds, in the language that shares most (a word of a talk
    without a language is sought in French and in English: "numer" and "numeriqu" are one word)."""
    by_language: dict[str, set] = {}
    for (_kind, field, text), (_boost, scores) in leaves.items():
        if docnum in scores:
            by_language.setdefault(field.rsplit("_", 1)[-1], set()).add(text)
    return max(map(len, by_language.values()), default=0)
