"""Autocompletion over talk titles, speaker names and tags, accent- and case-insensitive."""
import json

from whoosh import query as wq

from .analysis import fold, name_analyzer
from .models import Suggestion
from .reader import IndexView

MIN_PREFIX = 2
NAMES = name_analyzer()


def _words(prefix: str) -> list[str]:
    return [token.text for token in NAMES(prefix, mode="index") if "-" not in token.text]


def _prefix_query(field_name: str, words: list[str], doc_type: str):
    exact = [wq.Term(field_name, word) for word in words[:-1]]
    return wq.And([*exact, wq.Prefix(field_name, words[-1]), wq.Term("type", doc_type, boost=0.0)])


def _documents(view: IndexView, field_name: str, words: list[str], doc_type: str, limit: int):
    results = view.searcher.search(_prefix_query(field_name, words, doc_type), limit=limit)
    return [(hit["slug"], json.loads(hit.get("data") or "{}")) for hit in results]


def tag_names(view: IndexView) -> list[tuple[str, str]]:
    """(folded, name) of every indexed tag, cached with the view."""
    if "tags" not in view.memo:
        names = [term.decode("utf-8") for term in view.searcher.reader().lexicon("tag")]
        view.memo["tags"] = [(fold(name), name) for name in names]
    return view.memo["tags"]


def _matching_tags(view: IndexView, prefix: str, limit: int) -> list[Suggestion]:
    folded = fold(prefix).lstrip("#").strip().replace(" ", "-")
    names = [name for key, name in tag_names(view) if key.startswith(folded)]
    return [Suggestion("tag", f"#{name}", name) for name in sorted(names, key=len)[:limit]]


def suggest(view: IndexView, prefix: str, limit: int = 8) -> list[Suggestion]:
    """Up to `limit` completions: matching tags, then speakers, then talks."""
    limit = max(1, min(int(limit or 8), 50))
    words = _words(prefix or "")
    if not words or len(fold(prefix).strip().lstrip("#")) < MIN_PREFIX:
        return []
    tags = _matching_tags(view, prefix, limit)
    speakers = [Suggestion("speaker", data.get("name") or slug, slug)
                for slug, data in _documents(view, "speakers", words, "speaker", limit)]
    talks = [Suggestion("talk", data.get("title") or slug, slug)
             for slug, data in _documents(view, "title_words", words, "talk", limit)]
    share = max(1, limit // 4)
    chosen = tags[:share] + speakers[:share]
    chosen += talks[:limit - len(chosen)]
    leftovers = tags[share:] + speakers[share:]
    return chosen + leftovers[:limit - len(chosen)]
