"""rebuild() writes segments with BulkSegmentWriter: byte for byte what Whoosh's own writer writes.

The byte-for-byte test is the gate of a whoosh3 upgrade (search_index/whoosh_internals): it runs
only where the fast path is on. The other tests hold on both paths.
"""
import gc
import os

import pytest
from whoosh.filedb.filestore import FileStorage

from bench.search_corpus import SyntheticArchive
from search_index import SearchIndex, SearchRequest, whoosh_internals
from search_index import writer as index_writer
from search_index.gc_pause import cyclic_gc_paused
from search_index.writer import read_current

DOCUMENTS = list(SyntheticArchive(400, seed=7))
requires_fast_path = pytest.mark.skipif(not whoosh_internals.FAST_PATH_AVAILABLE,
                                        reason="fast path disabled: whoosh3 version differs")
SPEAKER = {"id": "speaker:1", "type": "speaker", "slug": "ada", "name": "Ada Lovelace", "aliases": ["A. L."],
           "headline": "Analyste", "organisation": "Bibliothèque", "bio": "Première programmeuse.", "version": "1"}


def segment_parts(root) -> list[dict[str, bytes]]:
    """Per segment of the live generation, each part of its compound file (segment id masked)."""
    storage = FileStorage(os.path.join(root, read_current(root)))
    found = []
    for segment in storage.open_index()._segments():  # whoosh3 3.54
        compound = segment.open_compound_file(storage)
        found.append({name.replace(segment.segment_id(), "SEG"): read_part(compound, name) for name in compound.list()})
        compound.close()
    return found


def read_part(compound, name: str) -> bytes:
    part = compound.open_file(name)
    data = part.read()
    part.close()
    return data


@requires_fast_path
def test_bulk_segment_equals_whoosh_segment_byte_for_byte(tmp_path):
    documents = DOCUMENTS + [SPEAKER]
    assert len(documents) < index_writer.BULK_APPLY_FROM  # so apply() goes through Whoosh's own writer
    SearchIndex(tmp_path / "whoosh").apply(upserts=documents)
    SearchIndex(tmp_path / "bulk").rebuild(iter(documents), procs=1)
    expected, built = segment_parts(tmp_path / "whoosh"), segment_parts(tmp_path / "bulk")
    assert len(expected) == len(built) == 1
    assert sorted(built[0]) == sorted(expected[0])
    for name, data in expected[0].items():
        assert built[0][name] == data, name
    assert field_length_totals(tmp_path / "bulk") == field_length_totals(tmp_path / "whoosh")


def field_length_totals(root) -> dict[str, int]:
    """Each field's total length, as the table of contents records it (BM25's average length)."""
    index = FileStorage(os.path.join(root, read_current(root))).open_index()
    with index.reader() as reader:
        return {name: reader.field_length(name) for name in index.schema.names() if reader.field_length(name)}


def test_postings_of_a_frequent_term_span_several_blocks():
    assert sum("médiation" in doc["summary"] for doc in DOCUMENTS) > 128  # the codec's block size


@requires_fast_path
def test_a_full_worker_starts_a_new_segment(tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_internals.rebuild, "SEGMENT_POSTINGS", 5_000)
    index = SearchIndex(tmp_path)
    index.rebuild(iter(DOCUMENTS), procs=1)
    assert len(segment_parts(tmp_path)) > 2
    reference = SearchIndex(tmp_path / "reference")
    reference.apply(upserts=DOCUMENTS)
    for q in ("médiation", '"lecture publique"', "library -open"):
        got, expected = index.search(SearchRequest(q=q)), reference.search(SearchRequest(q=q))
        assert (got.total, got.facets) == (expected.total, expected.facets)
        assert [hit.id for hit in got.hits] == [hit.id for hit in expected.hits]


def test_parallel_rebuild_indexes_every_document_once(tmp_path):
    index = SearchIndex(tmp_path)
    index.rebuild(iter(DOCUMENTS + [SPEAKER]), procs=2)
    assert index.stats()["doc_count"] == len(DOCUMENTS) + 1
    assert index.document_versions() == {doc["id"]: doc["version"] for doc in DOCUMENTS + [SPEAKER]}
    serial = SearchIndex(tmp_path / "serial")
    serial.rebuild(iter(DOCUMENTS + [SPEAKER]), procs=1)
    for q in ("médiation numérique", "open data", '"lecture publique"'):
        assert index.search(SearchRequest(q=q)).total == serial.search(SearchRequest(q=q)).total > 0
    assert [s["slug"] for s in index.search(SearchRequest(q="Lovelace")).speakers] == ["ada"]


@pytest.mark.parametrize("procs", [1, 2])
def test_a_malformed_document_fails_the_rebuild_and_keeps_the_live_index(tmp_path, procs):
    index = SearchIndex(tmp_path)
    index.rebuild(iter(DOCUMENTS[:10]))
    live = read_current(str(tmp_path))
    with pytest.raises(ValueError):
        index.rebuild(iter([*DOCUMENTS[:300], {"id": "talk:x", "type": "video"}]), procs=procs)
    assert read_current(str(tmp_path)) == live
    assert index.stats()["doc_count"] == 10
    assert sorted(os.listdir(tmp_path)) == sorted(["CURRENT", "writer.lock", live])
    index.apply(upserts=[DOCUMENTS[20]])  # the write lock was released
    assert index.stats()["doc_count"] == 11
    assert gc.isenabled()  # the in-process build paused the cycle collector, and restored it


def test_the_cycle_collector_is_paused_while_segments_fill_and_left_as_it_was(tmp_path):
    states = []

    def documents():
        for doc in DOCUMENTS[:5]:
            states.append(gc.isenabled())
            yield doc

    SearchIndex(tmp_path).rebuild(documents(), procs=1)
    assert states == [False] * 5 and gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an application running without it keeps running without it
    finally:
        gc.enable()
