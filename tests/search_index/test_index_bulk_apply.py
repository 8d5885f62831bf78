"""Commits of many upserts are written by the bulk writers into a new segment; commits of a few
merge only small segments; compact() merges the segments bulk commits leave."""
import pytest

import search_index.writer as index_writer
from bench.search_corpus import SyntheticArchive
from search_index import SearchIndex, SearchRequest, whoosh_internals

ARCHIVE = list(SyntheticArchive(800, seed=11))
QUERIES = ["médiation", "lecture publique", '"open data"', "library", "atelier -jeunesse", ""]
requires_fast_path = pytest.mark.skipif(not whoosh_internals.FAST_PATH_AVAILABLE,
                                        reason="fast path disabled: whoosh3 version differs")


def answers(index: SearchIndex) -> list[tuple[int, list[str]]]:
    results = [index.search(SearchRequest(q=q, per_page=50)) for q in QUERIES]
    return [(result.total, [hit.id for hit in result.hits]) for result in results]


def edited(document: dict) -> dict:
    return {**document, "title": f"{document['title']} (nouvelle version)", "version": f"{document['version']}b"}


@pytest.fixture
def small_segments(monkeypatch):
    """Commits of 5 documents or more write segments no later commit merges (the thresholds, scaled down)."""
    monkeypatch.setattr(index_writer, "BULK_APPLY_FROM", 5)
    monkeypatch.setattr(index_writer, "SMALL_SEGMENT_DOCS", 5)


@requires_fast_path
def test_a_commit_of_many_upserts_answers_as_whoosh_s_own_writer_does(tmp_path, monkeypatch):
    base, new = ARCHIVE[:200], ARCHIVE[200:]
    upserts, deletes = new + [edited(doc) for doc in base[:150]], [doc["id"] for doc in base[150:170]]
    assert len(upserts) >= index_writer.BULK_APPLY_FROM > len(base)
    bulk, whoosh = SearchIndex(tmp_path / "bulk"), SearchIndex(tmp_path / "whoosh")
    for index in (bulk, whoosh):
        index.apply(upserts=base)
    bulk.apply(upserts=upserts, deletes=deletes)
    with monkeypatch.context() as public_path:
        public_path.setattr(whoosh_internals, "fast_path_enabled", lambda: False)
        whoosh.apply(upserts=upserts, deletes=deletes)
    assert bulk.document_versions() == whoosh.document_versions()
    assert len(bulk.document_versions()) == len(ARCHIVE) - len(deletes)
    assert answers(bulk) == answers(whoosh)
    assert bulk.stats()["segments"] == whoosh.stats()["segments"] == 2


def test_a_commit_of_a_few_documents_never_merges_a_large_segment(tmp_path, small_segments):
    index = SearchIndex(tmp_path)
    for start in range(0, 60, 5):
        index.apply(upserts=ARCHIVE[start:start + 5])
    assert index.stats()["segments"] == 12
    for document in ARCHIVE[60:66]:  # Whoosh's MERGE_SMALL alone would merge some of the twelve
        index.apply(upserts=[document])
    assert 12 < index.stats()["segments"] < 18  # the small ones were merged, never the large ones
    assert len(index.document_versions()) == 66


def test_compact_merges_a_fragmented_index_and_keeps_every_answer(tmp_path, small_segments):
    index, reference = SearchIndex(tmp_path / "fragmented"), SearchIndex(tmp_path / "reference")
    for start in range(0, 100, 20):  # five large segments, each deleting a document of the one before
        index.apply(upserts=ARCHIVE[start:start + 20], deletes=[ARCHIVE[start - 1]["id"]] if start else [])
    index.apply(upserts=[edited(doc) for doc in ARCHIVE[40:45]])
    assert index.stats()["segments"] > index_writer.MAX_LARGE_SEGMENTS and index.is_fragmented()
    before = (index.document_versions(), [total for total, _ in answers(index)])
    assert index.compact()
    assert not index.is_fragmented() and index.stats()["segments"] <= index_writer.MAX_LARGE_SEGMENTS
    assert (index.document_versions(), [total for total, _ in answers(index)]) == before
    deleted = {ARCHIVE[start - 1]["id"] for start in range(20, 100, 20)}
    reference.rebuild(edited(doc) if 40 <= n < 45 else doc for n, doc in enumerate(ARCHIVE[:100])
                      if doc["id"] not in deleted)
    assert index.document_versions() == reference.document_versions()
    assert not index.compact()  # nothing to merge any more
