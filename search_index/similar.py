"""More like this: the talks whose text is nearest one talk's, found from that talk's own stored text.

The key terms of its title, summary and report sections (Bo1, per field of its language, both when
it has none) make one weighted OR query over the other talks; the best matches come first.
"""
import json

from whoosh.query import And, Not, Or, Term

from .schema import LANGUAGES

TEXT_FIELDS = ("title", "summary", "sections")
KEY_TERMS = 8  # per field: enough to find a neighbour, few enough to stay on topic


def _key_terms(searcher, stored: dict) -> list:
    languages = (stored["language"],) if stored.get("language") in LANGUAGES else LANGUAGES
    terms = []
    for name in TEXT_FIELDS:
        text = stored.get(name) or ""
        for lang in languages if text.strip() else ():
            field = f"{name}_{lang}"
            terms += [Term(field, word, boost=weight)
                      for word, weight in searcher.key_terms_from_text(field, text, numterms=KEY_TERMS)]
    return terms


def similar_talks(searcher, doc_id: str, limit: int) -> list[str]:
    """Ids of the talks most like `doc_id` (itself left out), best first; [] when it is not indexed."""
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return []
    terms = _key_terms(searcher, json.loads(searcher.stored_fields(docnum).get("data") or "{}"))
    if not terms:
        return []
    query = And([Term("type", "talk"), Or(terms), Not(Term("id", doc_id))])
    return [hit["id"] for hit in searcher.search(query, limit=limit)]
