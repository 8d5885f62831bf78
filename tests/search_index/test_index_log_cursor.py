"""The log cursor is committed with the segments: a reader sees the cursor of the commit it reads."""
import pytest

from search_index import SearchIndex, SearchRequest
from search_index import writer as index_writer
from tests.search_index.test_index_writer import make_talk


def titles(index: SearchIndex, q: str) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(q=q)).hits]


def test_a_new_index_records_no_cursor_and_apply_records_it(tmp_path):
    index = SearchIndex(tmp_path)
    assert index.log_cursor() is None
    index.apply(upserts=[make_talk(1)], log_cursor=12)
    assert index.log_cursor() == 12 and SearchIndex(tmp_path).log_cursor() == 12
    index.apply(deletes=["talk:9"])  # no cursor given: the previous one is kept
    assert SearchIndex(tmp_path).log_cursor() == 12


def test_bulk_applies_compaction_and_rebuilds_keep_their_cursor(tmp_path, monkeypatch):
    index = SearchIndex(tmp_path)
    monkeypatch.setattr(index_writer, "SMALL_SEGMENT_DOCS", 2)
    monkeypatch.setattr(index_writer, "BULK_APPLY_FROM", 2)
    for batch in range(6):
        index.apply(upserts=[make_talk(batch * 10 + n) for n in range(3)], log_cursor=100 + batch)
    assert index.log_cursor() == 105
    assert index.is_fragmented() and index.compact()
    assert SearchIndex(tmp_path).log_cursor() == 105
    index.rebuild([make_talk(1)], log_cursor=200)
    assert SearchIndex(tmp_path).log_cursor() == 200


def test_a_commit_that_dies_before_whoosh_commits_leaves_the_previous_cursor(tmp_path, monkeypatch):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(1)], log_cursor=5)

    def die(*args):
        raise RuntimeError("killed before the table of contents was written")

    monkeypatch.setattr(index_writer, "_write_changes", die)
    with pytest.raises(RuntimeError):
        index.apply(upserts=[make_talk(2)], log_cursor=9)
    monkeypatch.undo()
    reopened = SearchIndex(tmp_path)
    assert reopened.log_cursor() == 5 and titles(reopened, "numéro") == ["talk:1"]
    reopened.apply(upserts=[make_talk(2)], log_cursor=9)
    assert SearchIndex(tmp_path).log_cursor() == 9
