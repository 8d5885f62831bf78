"""What a query may cost: repeated clauses folded, caps on words and phrases, a budget per search.

Structure is asserted, never speed: the budget is made to run out deterministically (0 seconds,
a budget of N postings, a collector whose time is up), and bench/search_limits.py measures.
"""
from datetime import date

import pytest
from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector

from search_index import SearchIndex, SearchRequest, budget, engine, whoosh_internals
from search_index.query import MAX_PHRASES, MAX_TERMS, parse_query


def talk(number: int, title: str, summary: str, *, tags=("médiation",), speakers=("Sophie Perrusson",)) -> dict:
    slugs = [name.lower().replace(" ", "-") for name in speakers]
    return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}", "title": title, "summary": summary,
            "sections": "", "speakers": list(speakers), "speaker_slugs": slugs,
            "tags": list(tags), "event": "Journée d'étude", "event_slug": "journee", "date": date(2016, 10, 5 + number),
            "language": "fr", "has_slides": False, "slides": [], "version": "1"}


ARCHIVE = [
    talk(1, "Politique de médiation numérique", "Des blogs de la médiathèque pour partager les savoirs."),
    talk(2, "Médiation numérique pour les seniors", "La médiation de la bibliothèque auprès des seniors."),
    talk(3, "Les médiations culturelles", "Bilan chiffré de la saison.", tags=("culture",)),
    talk(4, "Le fablab de la médiathèque", "Robotique et programmation.", tags=("fablab",), speakers=("Hugo Bernard",)),
    talk(5, "Archives numériques", "Numérisation participative des registres.", tags=("patrimoine",)),
    {"id": "speaker:1", "type": "speaker", "slug": "sophie-perrusson", "name": "Sophie Perrusson", "aliases": [],
     "headline": "Médiation numérique", "organisation": "Médiathèques", "bio": "", "version": "1"},
]
FULL_BUDGET_QUERIES = ["médiation numérique -seniors", "Perrusson médiation", '"médiation numérique" OR fablab',
                       'médiation -"de la saison"', "médiathèque OR archives OR bilan"]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    # No result cache: these tests search the same query again under another budget.
    search_index = SearchIndex(tmp_path_factory.mktemp("limits-index"), result_cache_size=0)
    search_index.rebuild(iter(ARCHIVE))
    return search_index


def clauses(q: str) -> list:
    return [clause for group in parse_query(q).groups for clause in group]


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


@pytest.mark.parametrize("q", ["médiation médiation", "médiation " * 150, '"de la" ' * 40, "médiation OR médiation",
                               "title:blogs title:Blogs", "-wordpress -WordPress", "#fablab #Fablab"])
def test_a_repeated_clause_is_searched_once(q):
    assert len(clauses(q)) == 1
    assert not parse_query(q).is_truncated


def test_repeats_fold_after_analysis_into_one_stemmed_term():
    assert [clause.text for clause in clauses("Médiation médiation mediations")] == ["Médiation"]
    assert [clause.text for clause in clauses("bibliothèques Bibliotheque")] == ["bibliothèques"]


def test_repeated_alternatives_fold_whatever_their_order():
    assert parse_query("blog OR wiki wiki OR blog").groups == parse_query("blog OR wiki").groups


@pytest.mark.parametrize("q, count", [("médiation médiathèque", 2), ("médiation -médiation", 2),
                                      ("title:médiation médiation", 2), ('"de la" de la', 3),
                                      ("tag:fablab fablab", 2), ("blog OR wiki blog", 3)])
def test_different_clauses_are_kept(q, count):
    assert len(clauses(q)) == count


@pytest.mark.parametrize("repeated, plain", [
    ("médiation médiation numérique numérique", "médiation numérique"),
    ("Médiation médiation mediations", "médiation"),
    ('"de la" ' * 40, '"de la"'),
    ('"bilan chiffré" "Bilan chiffré"', '"bilan chiffré"'),
    ("médiation -seniors -seniors -Seniors", "médiation -seniors"),
    ("fablab OR archives fablab OR archives", "fablab OR archives"),
])
def test_a_folded_query_finds_what_the_plain_query_finds(index, repeated, plain):
    assert index.search(SearchRequest(q=repeated)) == index.search(SearchRequest(q=plain))


def test_words_are_capped():
    q = " ".join(f"mot{number}" for number in range(100))
    assert [clause.text for clause in clauses(q)] == [f"mot{number}" for number in range(MAX_TERMS)]
    assert parse_query(q).is_truncated


def test_phrases_are_capped_and_count_their_words():
    q = " ".join(f'"premier{number} second{number}"' for number in range(20)) + " encore"
    kept = clauses(q)
    assert sum(clause.is_phrase for clause in kept) == MAX_PHRASES
    assert sum(len(clause.text.split()) for clause in kept) <= MAX_TERMS
    assert kept[-1].text == "encore"  # a word still fits once the phrases are full
    assert parse_query(q).is_truncated


def test_a_long_phrase_is_cut_to_the_words_left():
    words = [f"mot{number}" for number in range(60)]
    (phrase,) = clauses('"' + " ".join(words) + '"')
    assert phrase.is_phrase and phrase.text.split() == words[:MAX_TERMS]


def test_exclusions_and_alternatives_count_too():
    assert len(clauses("médiation " + " ".join(f"-mot{number}" for number in range(40)))) == MAX_TERMS
    assert len(clauses(" OR ".join(f"mot{number}" for number in range(40)))) == MAX_TERMS


def test_a_query_within_the_caps_is_not_truncated():
    parsed = parse_query(" ".join(f"mot{number}" for number in range(MAX_TERMS)))
    assert len(parsed.groups) == MAX_TERMS and not parsed.is_truncated


def test_the_result_says_when_the_query_was_truncated(index):
    assert not index.search(SearchRequest(q="médiation numérique")).is_query_truncated
    long = index.search(SearchRequest(q="médiation " + " ".join(f"mot{number}" for number in range(40))))
    assert long.is_query_truncated and not long.is_partial


def test_a_search_within_its_budget_is_not_partial(index):
    for q in FULL_BUDGET_QUERIES:
        assert not index.search(SearchRequest(q=q)).is_partial


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_search_with_no_time_left_answers_a_flagged_empty_result(index, sort):
    hurried = SearchIndex(index.path, query_seconds=0)
    result = hurried.search(SearchRequest(q="médiation numérique -seniors", sort=sort))
    assert result.is_partial
    assert (result.total, result.hits, result.speakers, result.suggestion) == (0, [], [], None)
    assert index.search(SearchRequest(q="médiation numérique -seniors", sort=sort)).total == 1


def test_an_empty_query_spends_no_budget(index):
    result = SearchIndex(index.path, query_seconds=0).search(SearchRequest(q=""))
    assert not result.is_partial and result.total == 5


def test_a_partial_result_is_not_memoised(index):
    searched = SearchIndex(index.path, query_seconds=0)
    assert searched.search(SearchRequest(q="médiation")).is_partial
    searched.query_seconds = budget.QUERY_SECONDS
    assert searched.search(SearchRequest(q="médiation")) == index.search(SearchRequest(q="médiation"))


@pytest.mark.parametrize("q", FULL_BUDGET_QUERIES)
def test_a_search_over_budget_answers_true_matches_only(index, monkeypatch, q):
    """Every budget of postings, from none to enough: the whole answer, or a flagged part of it."""
    full = index.search(SearchRequest(q=q, per_page=100))
    monkeypatch.setattr(budget, "WORK_PER_DOCUMENT", 0)
    partial_seen = False
    for postings in range(0, 200):
        monkeypatch.setattr(budget, "MIN_WORK", postings)
        result = index.search(SearchRequest(q=q, per_page=100))
        if not result.is_partial:
            assert result == full
            break
        partial_seen = True
        assert set(ids(result)) <= set(ids(full)) and result.total <= full.total
        assert {s["slug"] for s in result.speakers} <= {s["slug"] for s in full.speakers}
    assert partial_seen and not result.is_partial


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_an_exclusion_is_never_skipped_for_lack_of_budget(index, monkeypatch, sort):
    monkeypatch.setattr(budget, "WORK_PER_DOCUMENT", 0)
    for postings in range(0, 200):
        monkeypatch.setattr(budget, "MIN_WORK", postings)
        result = index.search(SearchRequest(q="médiation -seniors", sort=sort))
        assert "talk:2" not in ids(result)
        if not result.is_partial:
            break
    assert ids(result) and not result.is_partial


class TimeIsUpCollector(TimeLimitCollector):
    """Whoosh's time-limited collector, its time up before the first match (as a slow search finds it)."""

    def prepare(self, *args) -> None:
        super().prepare(*args)
        self.timedout = True


def time_up_at_the_speaker_box(allows_query):
    """engine.allows_query, the search's time up when the speaker box asks to run."""
    def allows(budget, searcher, query, through_pairs=False):
        if budget is not None and wq.Term("type", "speaker", boost=0.0) in getattr(query, "subqueries", ()):
            budget.deadline = 0.0
        return allows_query(budget, searcher, query, through_pairs)
    return allows


def test_a_speaker_search_out_of_time_keeps_the_talks_and_is_flagged(index, monkeypatch):
    assert index.search(SearchRequest(q="Perrusson")).speakers
    if whoosh_internals.fast_path_enabled():  # the box is scored from the talks' terms, once time is checked
        monkeypatch.setattr(engine, "allows_query", time_up_at_the_speaker_box(engine.allows_query))
    else:  # Whoosh searches the box: its collector finds the time up
        monkeypatch.setattr(engine, "TimeLimitCollector", TimeIsUpCollector)
    result = index.search(SearchRequest(q="Perrusson"))
    assert result.is_partial and result.speakers == []
    assert set(ids(result)) == {"talk:1", "talk:2", "talk:3", "talk:5"}


def test_pathological_queries_answer_without_raising(index):
    for q in ["a " * 250, '"de la" ' * 60, " OR ".join(["médiation"] * 100), "-médiation " * 80,
              '"' + "de la " * 80 + '"', "médiat* numéri?ue *:* ~2 ^3 [a TO z]"]:
        result = index.search(SearchRequest(q=q))
        assert result.total >= 0 and len(result.hits) <= result.total
