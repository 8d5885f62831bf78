"""Full-text search for Causeries: a Flask-free package on whoosh3 (see CONTRACT.md beside this file).

    index = SearchIndex("/path/to/dir")
    index.apply(upserts=[doc, ...], deletes=["talk:12"], log_cursor=41)  # writer only; may raise IndexBusy
    index.log_cursor() -> 41                                 # committed with the segments (log_cursor.py)
    index.is_fragmented(), index.compact()                  # many bulk commits since: merge them
    index.rebuild(documents, total=None, progress=None)     # new generation, swapped in atomically
    index.search(SearchRequest(q="médiation", tag="mednumsavoirs")) -> SearchResult
    index.suggest("médiat") -> [Suggestion, ...]
    index.similar_talks("talk:12", limit=10) -> ["talk:7", ...]   # more like this, best first

Highlights of a hit: "title" always, plus ONE of "summary", "sections", "slides" or "transcript" (the field
with the most matches; the summary's opening when nothing matched). Values are safe HTML.

Rebuild and the write queue: rebuild() holds the write lock from before it reads the first
document until the swap, so apply() raises IndexBusy meanwhile. A caller that keeps its queue
entries until apply() returns loses nothing: entries refused during the rebuild are applied to
the new generation afterwards. Pass rebuild() a LAZY iterable (a generator reading the database)
so that the rows are read after the lock is taken.

Repeated searches: each process keeps the answers to its last searches (result_cache.py) until
the index's next commit, which any search then sees.

Schema changes: every generation records the fingerprint of the schema it was built with;
schema_state().is_stale says the live one was built with another (or before fingerprints were
recorded) and needs a rebuild.

Whoosh's private parts are touched only in whoosh_internals/, and only on the whoosh3 version
they were verified for; on any other, search_index uses Whoosh's public API (CONTRACT.md).
"""
import os
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from .budget import QUERY_SECONDS
from .complete import suggest as _suggest
from .engine import search_talks
from .models import FACET_LIMIT, MAX_FACET_LIMIT, Hit, IndexBusy, SchemaState, SearchRequest, SearchResult, Suggestion
from .query import MAX_PHRASES, MAX_TERMS
from .reader import Reader
from .result_cache import RESULT_CACHE_SIZE
from .similar import similar_talks as _similar_talks
from .writer import (
    APPLY_WAIT_SECONDS,
    apply_changes,
    compact_live_generation,
    is_fragmented,
    read_current,
    read_log_cursor,
    rebuild_generation,
    schema_state,
)

__all__ = ["FACET_LIMIT", "MAX_FACET_LIMIT", "MAX_PHRASES", "MAX_TERMS", "RESULT_CACHE_SIZE", "Hit", "IndexBusy",
           "SchemaState", "SearchIndex", "SearchRequest", "SearchResult", "Suggestion"]


class SearchIndex:
    """One index directory. Cheap to create; opens lazily; one per process is enough.

    `query_seconds`: the time budget of each search (see search_index/budget.py).
    `result_cache_size`: answers to repeated searches kept per process until the next commit
    (search_index/result_cache.py); 0 keeps none."""

    def __init__(self, path: str | os.PathLike, query_seconds: float = QUERY_SECONDS,
                 result_cache_size: int = RESULT_CACHE_SIZE):
        self.path = os.fspath(path)
        self.query_seconds = query_seconds
        self._reader = Reader(self.path, result_cache_size)

    def apply(self, upserts: Iterable[dict] = (), deletes: Iterable[str] = (),
              wait_seconds: float = APPLY_WAIT_SECONDS, log_cursor: int | None = None) -> None:
        """Upserts and deletes in ONE atomic commit, with the caller's log cursor (None keeps the
        previous one). IndexBusy if another process is writing."""
        apply_changes(self.path, list(upserts), list(deletes), wait_seconds, log_cursor)

    def rebuild(self, documents: Iterable[dict], total: int | None = None,
                progress: Callable[[int, int | None], None] | None = None, procs: int | None = None,
                log_cursor: int | None = None) -> str:
        """Index everything into a new generation and swap it in with `log_cursor`; returns the
        generation name."""
        return rebuild_generation(self.path, documents, total, progress, procs=procs, log_cursor=log_cursor)

    def log_cursor(self) -> int | None:
        """The log cursor committed with the live generation; None if it records none."""
        return read_log_cursor(self.path)

    def schema_state(self) -> SchemaState:
        """Whether the live generation was built with this code's schema; `is_stale`: rebuild it."""
        return schema_state(self.path)

    def search(self, request: SearchRequest | None = None) -> SearchResult:
        request = request or SearchRequest()
        view = self._reader.view()
        if view is None:
            normalised = request.normalised()
            return SearchResult(page=normalised.page, per_page=normalised.per_page)
        key = request.cache_key()
        cached = view.results.get(key)
        if cached is not None:
            return cached
        result = search_talks(view, request, self.query_seconds)
        view.results.put(key, result)
        return result

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        view = self._reader.view()
        return _suggest(view, prefix, limit) if view is not None else []

    def similar_talks(self, doc_id: str, limit: int = 10) -> list[str]:
        """Ids of the talks whose text is nearest the talk `doc_id`'s, best first (search_index/similar.py)."""
        view = self._reader.view()
        return _similar_talks(view, doc_id, limit) if view is not None else []

    def document_versions(self) -> dict[str, str]:
        """Document id -> the version stored with it (to find stale or missing documents)."""
        view = self._reader.view()
        if view is None or view.searcher.doc_count_all() == 0:
            return {}  # an empty index has no columns to read
        reader = view.searcher.reader()
        ids, versions = reader.column_reader("id"), reader.column_reader("version")
        return {ids[docnum]: versions[docnum] for docnum in reader.all_doc_ids()}

    def stats(self) -> dict:
        view = self._reader.view()
        if view is None:
            return {"doc_count": 0, "last_modified": None, "generation": read_current(self.path) or "",
                    "segments": 0}
        modified = view.index.last_modified()
        return {"doc_count": view.searcher.doc_count(), "generation": view.generation,
                "last_modified": datetime.fromtimestamp(modified, timezone.utc) if modified else None,
                "segments": len(self._segment_sizes(view))}

    def is_fragmented(self) -> bool:
        """Whether the live generation holds more large segments than commits merge (each commit of
        many upserts adds one): every search pays for each; compact() merges them."""
        view = self._reader.view()
        return view is not None and is_fragmented(self._segment_sizes(view))

    def compact(self, wait_seconds: float = APPLY_WAIT_SECONDS) -> bool:
        """Merge the segments of a fragmented live generation (one commit; searches answer
        meanwhile); False if it was not fragmented. IndexBusy if another process is writing."""
        return compact_live_generation(self.path, wait_seconds)

    @staticmethod
    def _segment_sizes(view) -> list[int]:
        leaves = view.searcher.reader().leaf_readers()
        return [leaf.doc_count_all() for leaf, _offset in leaves if leaf.segment() is not None]  # none: empty
