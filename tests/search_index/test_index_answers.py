"""What an answer holds and how long it is kept: the top facet values with a count of the others, and
the result cache, which never answers from before the index's last commit."""
from datetime import date

import pytest

import search_index
from search_index import SearchIndex, SearchRequest, engine
from search_index.collect import ranked
from search_index.query import TALK_FIELDS, build_query, indexed_in, parse_query
from search_index.result_cache import ResultCache

SPEAKERS = 30  # more than the default number of facet values (20)


def talk(number: int, title: str, *, speakers=None, tags=("atelier",), year=2016) -> dict:
    speakers = speakers or [f"Intervenante {number:02d}"]
    return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}", "title": title,
            "summary": "Bilan d'un atelier de médiation.", "sections": "", "speakers": speakers,
            "speaker_slugs": [name.lower().replace(" ", "-") for name in speakers], "tags": list(tags),
            "event": "Journée d'étude", "event_slug": "journee", "date": date(year, 10, 5), "language": "fr",
            "has_slides": False, "slides": [], "version": "1"}


def archive() -> list[dict]:
    """SPEAKERS talks, one speaker each; the first five speakers also gave a second talk."""
    talks = [talk(number, f"Atelier numéro {number}", tags=("atelier", f"theme-{number:02d}"))
             for number in range(1, SPEAKERS + 1)]
    talks += [talk(100 + number, f"Suite de l'atelier {number}", speakers=[f"Intervenante {number:02d}"])
              for number in range(1, 6)]
    return talks


@pytest.fixture
def index(tmp_path) -> SearchIndex:
    index = SearchIndex(tmp_path)
    index.rebuild(iter(archive()))
    return index


@pytest.fixture
def engine_calls(monkeypatch) -> list:
    """The requests the engine answered (those the result cache did not)."""
    calls, search_talks = [], search_index.search_talks

    def counting(view, request, seconds):
        calls.append(request)
        return search_talks(view, request, seconds)
    monkeypatch.setattr(search_index, "search_talks", counting)
    return calls


def test_facets_list_the_top_values_and_count_the_others(index):
    result = index.search(SearchRequest(q="atelier"))
    speakers = result.facets["speaker"]
    assert len(speakers) == 20 and result.facet_others["speaker"] == SPEAKERS - 20
    assert list(speakers)[:5] == [f"intervenante-{n:02d}" for n in range(1, 6)]  # two talks each, first
    assert all(count == 2 for count in list(speakers.values())[:5])
    assert list(speakers)[5:] == sorted(speakers)[5:]  # equal counts in value order
    assert result.facets["tag"]["atelier"] == result.total == SPEAKERS + 5
    assert result.facet_others["year"] == 0 and result.facet_others["tag"] == SPEAKERS + 1 - 20


def test_the_number_of_facet_values_is_a_request_parameter_within_bounds(index):
    assert len(index.search(SearchRequest(q="atelier", facet_limit=3)).facets["speaker"]) == 3
    everything = index.search(SearchRequest(q="atelier", facet_limit=1000))
    assert len(everything.facets["speaker"]) == SPEAKERS and everything.facet_others["speaker"] == 0
    assert SearchRequest(facet_limit=0).normalised().facet_limit == 20
    assert SearchRequest(facet_limit=500).normalised().facet_limit == 100


def test_a_filtered_value_is_always_listed_though_it_ties_with_others(index):
    result = index.search(SearchRequest(q="atelier", tag="theme-30", facet_limit=1))
    assert result.total == 1
    assert result.facets["tag"] == {"atelier": 1, "theme-30": 1}  # "atelier" ranks first by name
    assert result.facet_others["tag"] == 0


def test_a_repeated_search_is_answered_from_the_cache(index, engine_calls):
    first = index.search(SearchRequest(q="médiation atelier"))
    again = index.search(SearchRequest(q="  médiation   atelier "))
    assert again == first and len(engine_calls) == 1


def test_the_cache_is_keyed_by_the_filters_the_sort_the_page_and_the_facets(index, engine_calls):
    uncached = SearchIndex(index.path, result_cache_size=0)
    requests = [SearchRequest(q="atelier"), SearchRequest(q="atelier", tag="theme-07"),
                SearchRequest(q="atelier", year=2016, speaker="intervenante-03"), SearchRequest(q="atelier", page=2),
                SearchRequest(q="atelier", sort="date"), SearchRequest(q="atelier", per_page=5),
                SearchRequest(q="atelier", facet_limit=2), SearchRequest(q="atelier", lang="en")]
    for request in requests * 2:
        assert index.search(request) == uncached.search(request)
    assert len(engine_calls) == 2 * len(requests) + len(requests)  # the uncached index's, then each once


def test_a_commit_makes_a_cached_search_answer_the_new_results(index):
    writer = SearchIndex(index.path)  # another SearchIndex: its own reader, as in another process
    assert index.search(SearchRequest(q="robotique")).total == 0
    writer.apply(upserts=[talk(200, "Atelier de robotique")])
    assert [hit.id for hit in index.search(SearchRequest(q="robotique")).hits] == ["talk:200"]
    writer.apply(upserts=[talk(200, "Atelier de couture")])
    assert index.search(SearchRequest(q="robotique")).total == 0
    assert [hit.id for hit in index.search(SearchRequest(q="couture")).hits] == ["talk:200"]
    writer.apply(deletes=["talk:200"])
    assert index.search(SearchRequest(q="couture")).total == 0


def test_a_rebuild_makes_a_cached_search_answer_the_new_generation(index):
    assert index.search(SearchRequest(q="atelier")).total == SPEAKERS + 5
    SearchIndex(index.path).rebuild(iter(archive()[:3]))
    assert index.search(SearchRequest(q="atelier")).total == 3


def test_a_cached_answer_is_not_changed_by_what_a_caller_does_with_it(index):
    answer = index.search(SearchRequest(q="atelier"))
    expected = index.search(SearchRequest(q="atelier"))
    answer.hits.clear()
    answer.facets["speaker"].clear()
    answer.suggestion = "changed"
    assert index.search(SearchRequest(q="atelier")) == expected and expected.hits


def test_the_cache_keeps_the_most_recently_used_answers(index, engine_calls):
    small = SearchIndex(index.path, result_cache_size=2)
    for q in ("atelier", "médiation", "atelier", "bilan", "atelier", "médiation"):
        small.search(SearchRequest(q=q))
    assert [request.q for request in engine_calls] == ["atelier", "médiation", "bilan", "médiation"]


def test_a_partial_answer_is_not_cached():
    cache = ResultCache(4)
    cache.put(("key",), search_index.SearchResult(total=1, is_partial=True))
    assert cache.get(("key",)) is None and len(cache) == 0


SPEAKER_DOCUMENTS = [
    {"id": f"speaker:{number}", "type": "speaker", "slug": f"intervenante-{number:02d}",
     "name": f"Intervenante {number:02d}", "aliases": [], "headline": headline, "organisation": "Médiathèques",
     "bio": bio, "version": "1"}
    for number, headline, bio in [(1, "Médiation numérique", "Ateliers de médiation"), (2, "Atelier", ""),
                                  (3, "Bibliothécaire", "Médiation et numérique, ateliers et bilan"),
                                  (4, "", "Atelier atelier atelier"), (5, "Numérique", "")]]


@pytest.mark.parametrize("q", ["atelier", "médiation numérique", "Intervenante 03", "atelier -bilan",
                               '"médiation numérique"', "intervenante OR médiation", "speaker:intervenante atelier"])
def test_the_speaker_box_ranks_the_speakers_as_whoosh_does(tmp_path, q):
    """The box scored from the ranking's terms answers what Whoosh's own search of it answers."""
    index = SearchIndex(tmp_path)
    index.rebuild(iter(archive() + SPEAKER_DOCUMENTS))
    index.search(SearchRequest())
    view = index._reader.view()
    parsed, leaves = parse_query(q), {}
    ranked(view, build_query(parsed, TALK_FIELDS, indexed_in(view.searcher)), 20, set(range(100)), None, leaves)
    from_leaves = engine.matching_speakers(view, parsed, None, leaves)
    by_whoosh = engine.matching_speakers(view, parsed, None)
    assert [(s["slug"], round(s["score"], 9)) for s in from_leaves] == \
        [(s["slug"], round(s["score"], 9)) for s in by_whoosh]
    assert by_whoosh
