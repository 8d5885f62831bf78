"""Full-text search for Causeries: a Flask-free package on whoosh3 (see CONTRACT.md beside this file).

    index = SearchIndex("/path/to/dir")
    index.apply(upserts=[doc, ...], deletes=["talk:12"])   # writer process only; may raise IndexBusy
    index.rebuild(documents, total=None, progress=None)     # new generation, swapped in atomically
    index.search(SearchRequest(q="médiation", tag="mednumsavoirs")) -> SearchResult
    index.suggest("médiat") -> [Suggestion, ...]

Highlights of a hit: "title" always, plus ONE of "summary", "sections" or "slides" (the field
with the most matches; the summary's opening when nothing matched). Values are safe HTML.

Rebuild and the write queue: rebuild() holds the write lock from before it reads the first
document until the swap, so apply() raises IndexBusy meanwhile. A caller that keeps its queue
entries until apply() returns loses nothing: entries refused during the rebuild are applied to
the new generation afterwards. Pass rebuild() a LAZY iterable (a generator reading the database)
so that the rows are read after the lock is taken.

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
from .models import Hit, IndexBusy, SchemaState, SearchRequest, SearchResult, Suggestion
from .query import MAX_PHRASES, MAX_TERMS
from .reader import Reader
from .writer import APPLY_WAIT_SECONDS, apply_changes, read_current, rebuild_generation, schema_state

__all__ = ["MAX_PHRASES", "MAX_TERMS", "Hit", "IndexBusy", "SchemaState", "SearchIndex", "SearchRequest",
           "SearchResult", "Suggestion"]


class SearchIndex:
    """One index directory. Cheap to create; opens lazily; one per process is enough.

    `query_seconds`: the time budget of each search (see search_index/budget.py)."""

    def __init__(self, path: str | os.PathLike, query_seconds: float = QUERY_SECONDS):
        self.path = os.fspath(path)
        self.query_seconds = query_seconds
        self._reader = Reader(self.path)

    def apply(self, upserts: Iterable[dict] = (), deletes: Iterable[str] = (),
              wait_seconds: float = APPLY_WAIT_SECONDS) -> None:
        """Upserts and deletes in ONE atomic commit. IndexBusy if another process is writing."""
        apply_changes(self.path, list(upserts), list(deletes), wait_seconds)

    def rebuild(self, documents: Iterable[dict], total: int | None = None,
                progress: Callable[[int, int | None], None] | None = None, procs: int | None = None) -> str:
        """Index everything into a new generation and swap it in; returns the generation name."""
        return rebuild_generation(self.path, documents, total, progress, procs=procs)

    def schema_state(self) -> SchemaState:
        """Whether the live generation was built with this code's schema; `is_stale`: rebuild it."""
        return schema_state(self.path)

    def search(self, request: SearchRequest | None = None) -> SearchResult:
        request = request or SearchRequest()
        view = self._reader.view()
        if view is None:
            normalised = request.normalised()
            return SearchResult(page=normalised.page, per_page=normalised.per_page)
        return search_talks(view, request, self.query_seconds)

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        view = self._reader.view()
        return _suggest(view, prefix, limit) if view is not None else []

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
            return {"doc_count": 0, "last_modified": None, "generation": read_current(self.path) or ""}
        modified = view.index.last_modified()
        return {"doc_count": view.searcher.doc_count(), "generation": view.generation,
                "last_modified": datetime.fromtimestamp(modified, timezone.utc) if modified else None}
