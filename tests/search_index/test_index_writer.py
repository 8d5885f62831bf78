"""search_index on real on-disk indexes: writes, processes, locks, rebuilds, facets, suggest."""
import fcntl
import multiprocessing
import os
import signal
import threading
import time
from datetime import date

import pytest

from search_index import IndexBusy, SearchIndex, SearchRequest
from search_index.writer import LOCK_FILE, read_current, writer_lock

FORK = multiprocessing.get_context("fork")


def make_talk(number, title=None, *, tags=("atelier",), year=2016, language="fr", slides=(), speakers=("Ana Lima",),
              event="rencontres"):
    return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}",
            "title": title or f"Atelier numérique numéro {number}", "summary": f"Compte rendu {number}.",
            "sections": "", "speakers": list(speakers),
            "speaker_slugs": [s.lower().replace(" ", "-") for s in speakers],
            "tags": list(tags), "event": event.title(), "event_slug": event, "date": date(year, 3, 1),
            "language": language, "has_slides": bool(slides), "slides": list(slides), "version": f"v{number}"}


def apply_with_retry(index, **changes):
    while True:
        try:
            return index.apply(**changes)
        except IndexBusy:
            time.sleep(0.01)


def concurrent_writer(path, first, count):
    index = SearchIndex(path)
    for number in range(first, first + count):
        apply_with_retry(index, upserts=[make_talk(number)])


def test_concurrent_writers_from_several_processes_lose_nothing(tmp_path):
    processes = [FORK.Process(target=concurrent_writer, args=(str(tmp_path), 1 + 100 * n, 8)) for n in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [process.exitcode for process in processes] == [0, 0, 0, 0]
    result = SearchIndex(tmp_path).search(SearchRequest(per_page=100))
    assert result.total == 32
    assert {hit.id for hit in result.hits} == {f"talk:{1 + 100 * n + k}" for n in range(4) for k in range(8)}


def endless_writer(path):
    index = SearchIndex(path)
    batch = 0
    while True:
        batch += 1
        apply_with_retry(index, upserts=[make_talk(10_000 + batch * 500 + k) for k in range(500)])


def lock_is_held(path) -> bool:
    fd = os.open(os.path.join(path, LOCK_FILE), os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def test_writer_killed_mid_write_leaves_a_writable_index(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(1, "Avant la panne")])
    child = FORK.Process(target=endless_writer, args=(str(tmp_path),))
    child.start()
    deadline = time.monotonic() + 60
    while not lock_is_held(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    index.apply(upserts=[make_talk(2, "Après la panne")], deletes=["talk:1"])
    assert [hit.id for hit in index.search(SearchRequest(q="après panne")).hits] == ["talk:2"]
    assert index.search(SearchRequest(q="avant")).total == 0
    assert not [name for name in os.listdir(tmp_path / read_current(str(tmp_path))) if name.endswith(".tmp")]


def hold_lock(path, ready, release):
    with writer_lock(path, 1.0):
        ready.set()
        release.wait(30)


def test_busy_index_raises_index_busy_not_lock_error(tmp_path):
    ready, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=hold_lock, args=(str(tmp_path), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(IndexBusy):
            SearchIndex(tmp_path).apply(upserts=[make_talk(1)], wait_seconds=0.2)
    finally:
        release.set()
        holder.join(30)
    SearchIndex(tmp_path).apply(upserts=[make_talk(1)])
    assert SearchIndex(tmp_path).search(SearchRequest()).total == 1


def test_search_keeps_answering_during_rebuild(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(n, f"Ancien atelier {n}") for n in range(1, 31)])
    first_generation = read_current(str(tmp_path))
    rebuild = threading.Thread(target=index.rebuild,
                               args=([make_talk(n, f"Nouvel atelier {n}") for n in range(1, 2001)],))
    rebuild.start()
    answers = []
    while rebuild.is_alive():
        answers.append(SearchIndex(tmp_path).search(SearchRequest(q="atelier")).total)
    rebuild.join()
    assert answers and all(total in (30, 2000) for total in answers)
    assert index.search(SearchRequest(q="nouvel atelier")).total == 2000
    assert index.search(SearchRequest(q="ancien")).total == 0
    assert read_current(str(tmp_path)) != first_generation


def test_rebuild_keeps_only_the_live_and_previous_generations(tmp_path):
    index = SearchIndex(tmp_path)
    names = [index.rebuild([make_talk(n)]) for n in range(1, 4)]
    generations = sorted(name for name in os.listdir(tmp_path) if name.startswith("gen-"))
    assert generations == sorted(names[-2:])
    assert index.stats()["generation"] == names[-1]
    assert [hit.id for hit in index.search(SearchRequest()).hits] == ["talk:3"]


def test_apply_upserts_replace_and_deletes_remove(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(1, "Premier titre"), make_talk(2)])
    index.apply(upserts=[{**make_talk(1, "Second titre"), "version": "v9"}], deletes=["talk:2", "talk:404"])
    assert [hit.id for hit in index.search(SearchRequest(q="second")).hits] == ["talk:1"]
    assert index.search(SearchRequest(q="premier")).total == 0
    assert index.document_versions() == {"talk:1": "v9"}
    stats = index.stats()
    assert stats["doc_count"] == 1 and stats["last_modified"] is not None


def test_empty_index_answers_without_error(tmp_path):
    index = SearchIndex(tmp_path / "never-written")
    assert index.search(SearchRequest(q="rien")).total == 0
    assert index.suggest("rien") == []
    assert index.document_versions() == {}
    assert index.stats() == {"doc_count": 0, "last_modified": None, "generation": "", "segments": 0}


def test_malformed_document_is_refused(tmp_path):
    with pytest.raises(ValueError):
        SearchIndex(tmp_path).apply(upserts=[{"id": "event:1", "type": "event"}])


@pytest.fixture
def archive(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[
        make_talk(1, "Médiation numérique", tags=("mednumsavoirs", "médiation"), year=2016),
        make_talk(2, "Médiation culturelle", tags=("médiation",), year=2018, language="en",
                  slides=[{"page": 1, "text": "Intro"}], speakers=("Bo Li", "Ana Lima")),
        make_talk(3, "Médiation scientifique", tags=("sciences",), year=2018, event="assises"),
        make_talk(4, "Archives <script>alert(1)</script>", tags=("archives",), year=2020),
        {"id": "speaker:1", "type": "speaker", "slug": "ana-lima", "name": "Ana Lima", "aliases": ["Ana L."],
         "headline": "Médiatrice", "organisation": "", "bio": "", "version": "1"},
    ])
    return index


def test_facets_count_the_whole_result_set(archive):
    result = archive.search(SearchRequest(q="médiation", per_page=1))
    assert result.total == 3 and len(result.hits) == 1
    assert result.facets["tag"] == {"médiation": 2, "mednumsavoirs": 1, "sciences": 1}
    assert result.facets["year"] == {"2018": 2, "2016": 1}
    assert result.facets["event"] == {"rencontres": 2, "assises": 1}
    assert result.facets["speaker"] == {"ana-lima": 3, "bo-li": 1}
    assert result.facets["language"] == {"fr": 2, "en": 1}
    assert result.facets["has_slides"] == {"false": 2, "true": 1}


@pytest.mark.parametrize("filters, expected", [
    ({"tag": "médiation"}, {"talk:1", "talk:2"}), ({"year": 2018}, {"talk:2", "talk:3"}),
    ({"event": "assises"}, {"talk:3"}), ({"speaker": "bo-li"}, {"talk:2"}), ({"lang": "en"}, {"talk:2"}),
    ({"has_slides": True}, {"talk:2"}), ({"has_slides": False}, {"talk:1", "talk:3"}),
])
def test_filters_narrow_the_results(archive, filters, expected):
    assert {hit.id for hit in archive.search(SearchRequest(q="médiation", **filters)).hits} == expected


def test_empty_query_browses_by_date(archive):
    result = archive.search(SearchRequest(year=2018))
    assert result.total == 2
    assert sorted(hit.id for hit in result.hits) == ["talk:2", "talk:3"]
    newest_first = archive.search(SearchRequest())
    assert newest_first.hits[0].id == "talk:4" and newest_first.hits[-1].id == "talk:1"
    assert newest_first.speakers == []


def test_pages_beyond_the_end_are_empty(archive):
    result = archive.search(SearchRequest(q="médiation", page=9, per_page=2))
    assert result.total == 3 and result.hits == []
    second = archive.search(SearchRequest(q="médiation", page=2, per_page=2))
    assert len(second.hits) == 1


def test_highlights_are_escaped_html_with_marks(archive):
    hit = archive.search(SearchRequest(q="archives")).hits[0]
    assert hit.highlights["title"] == "<mark>Archives</mark> &lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>" not in "".join(hit.highlights.values())


def test_speaker_documents_are_returned_apart(archive):
    result = archive.search(SearchRequest(q="Ana Lima"))
    assert [s["slug"] for s in result.speakers] == ["ana-lima"]
    assert all(hit.id.startswith("talk:") for hit in result.hits)


def test_suggest_completes_titles_speakers_and_tags_without_accents(archive):
    labels = {(s.type, s.label, s.slug) for s in archive.suggest("mediat")}
    assert ("tag", "#médiation", "médiation") in labels
    assert ("talk", "Médiation culturelle", "talk-2") in labels
    assert ("speaker", "Ana Lima", "ana-lima") in {(s.type, s.label, s.slug) for s in archive.suggest("ana li")}
    assert [s.slug for s in archive.suggest("#mednum")] == ["mednumsavoirs"]
    assert len(archive.suggest("m", limit=8)) == 0
    assert len(archive.suggest("médiation", limit=2)) == 2


def fork_and_search(index, queue):
    queue.put(index.search(SearchRequest(q="médiation")).total)


def test_reader_opened_before_fork_works_in_the_child(archive):
    assert archive.search(SearchRequest(q="médiation")).total == 3
    queue = FORK.Queue()
    child = FORK.Process(target=fork_and_search, args=(archive, queue))
    child.start()
    assert queue.get(timeout=60) == 3
    child.join(30)


def test_document_versions_of_an_index_emptied_by_deletes(tmp_path):
    from search_index import SearchIndex

    index = SearchIndex(str(tmp_path / "emptied"))
    index.apply(upserts=[{"id": "speaker:1", "type": "speaker", "slug": "a", "name": "Anne Martin",
                          "aliases": [], "headline": "", "organisation": "", "bio": "",
                          "version": "v1"}], deletes=[])
    index.apply(upserts=[], deletes=["speaker:1"])
    assert index.document_versions() == {}


def test_document_versions_of_an_index_created_empty(tmp_path):
    from search_index import SearchIndex

    index = SearchIndex(str(tmp_path / "empty"))
    index.apply(upserts=[], deletes=["talk:1"])
    assert index.document_versions() == {}


def test_an_index_written_before_the_pair_field_takes_upserts_and_finds_phrases(tmp_path):
    from whoosh import index as whoosh_index

    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(1, "Médiation numérique en bibliothèque")])
    with whoosh_index.open_dir(os.path.join(tmp_path, read_current(tmp_path))).writer() as writer:
        writer.remove_field("pairs")  # the schema such an index has
    index.apply(upserts=[make_talk(2, "Numérique et médiation"), make_talk(3, "La médiation numérique au musée")])
    result = index.search(SearchRequest(q='"médiation numérique"'))
    assert sorted(hit.id for hit in result.hits) == ["talk:1", "talk:3"]
    assert index.search(SearchRequest(q='"numérique et médiation"')).hits[0].id == "talk:2"


def test_an_index_holding_stop_word_pairs_keeps_finding_phrases(tmp_path, monkeypatch):
    """An index whose pair field was built before stop-word pairs were left out (its schema has no
    stop terms) holds them, and its phrases keep using them, new documents included."""
    from search_index.fields import PairField

    built = PairField.__init__

    def with_every_pair(self, sources):
        built(self, sources)
        del self.stop_terms

    monkeypatch.setattr(PairField, "__init__", with_every_pair)
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(1, "La médiation de la lecture"), make_talk(2, "Lecture et médiation")])
    monkeypatch.undo()
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(3, "Médiation de la lecture publique")])
    assert index._reader.view().searcher.reader().doc_frequency("pairs", "title_fr mediat de") == 2
    for phrase in ('"médiation de la lecture"', '"de la"'):
        assert sorted(hit.id for hit in index.search(SearchRequest(q=phrase)).hits) == ["talk:1", "talk:3"]
    assert [hit.id for hit in index.search(SearchRequest(q='"lecture et médiation"')).hits] == ["talk:2"]


def test_a_phrase_with_stop_words_is_found_without_their_pairs(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(1, "La médiation de la lecture"), make_talk(2, "Lecture et médiation"),
                         make_talk(3, "Médiation de la lecture publique"), make_talk(4, "Médiation par la lecture")])
    assert index._reader.view().searcher.reader().doc_frequency("pairs", "title_fr mediat de") == 0
    for phrase in ('"médiation de la lecture"', '"de la lecture"'):
        assert sorted(hit.id for hit in index.search(SearchRequest(q=phrase)).hits) == ["talk:1", "talk:3"]
    assert [hit.id for hit in index.search(SearchRequest(q='"lecture et médiation"')).hits] == ["talk:2"]


def test_a_word_first_searched_while_absent_is_found_once_a_commit_adds_it(tmp_path):
    """Term frequencies are remembered per searcher (reader.TermFrequencies): a commit brings a
    new searcher, so an absence remembered before it never hides what it added."""
    index = SearchIndex(tmp_path)
    index.apply(upserts=[make_talk(1)])
    assert index.search(SearchRequest(q="ornithologie")).total == 0
    index.apply(upserts=[make_talk(2, "Ornithologie en bibliothèque")])
    assert [hit.id for hit in index.search(SearchRequest(q="ornithologie")).hits] == ["talk:2"]


def test_term_frequencies_stay_bounded():
    from search_index.reader import TermFrequencies
    asked = []
    frequencies = TermFrequencies(lambda fieldname, text: asked.append(text) or len(text))
    assert frequencies("title", "abc") == frequencies("title", "abc") == 3
    assert asked == ["abc"]  # read once
    for number in range(TermFrequencies.MAX_TERMS + 10):
        frequencies("title", str(number))
    assert len(frequencies._known) <= TermFrequencies.MAX_TERMS
