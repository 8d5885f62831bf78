"""The fast paths of search_index agree with Whoosh's exhaustive evaluation.

Ranking scores posting blocks term at a time (accumulate, collect.ranked) and counting reads
posting blocks into sets (matchset): on an archive larger than a page, with several segments and
deletions, both must give what Whoosh's document-at-a-time scoring and matching give. On the
public path (search_index/whoosh_internals) the same tests check the query algebra of accumulate
and matchset over Whoosh's own matchers.
"""
import random
from datetime import date, timedelta

import pytest
from whoosh import query as wq

from search_index import SearchIndex, SearchRequest, whoosh_internals
from search_index.collect import ranked
from search_index.matchset import matching_docnums
from search_index.query import TALK_FIELDS, build_query, parse_query

WORDS = ("médiation numérique bibliothèque lecture publique atelier jeunesse patrimoine archives robotique "
         "library reading public workshop youth heritage open data python de la the of").split()
QUERIES = ["médiation", "lecture publique", '"lecture publique"', "robotique OR python",
           "médiation -jeunesse", "library", "open data", "tag:tag-3", "speaker:camille", "-patrimoine",
           '"lecture publique atelier"', '"open data python"', 'speaker:"camille martin"',
           '"lecture de publique"', '"the open data"', '"de la"', '"data of python"',
           '"médiation de numérique"']


def synthetic_talk(rng: random.Random, number: int) -> dict:
    language = rng.choice(["fr", "en", None])
    text = lambda size: " ".join(rng.choice(WORDS) for _ in range(size))  # noqa: E731
    speaker = rng.choice(["Camille Martin", "Hugo Petit", "Zoé Roux"])
    return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}", "title": text(5).capitalize(),
            "summary": text(30), "sections": text(40), "speakers": [speaker],
            "speaker_slugs": [speaker.lower().replace(" ", "-")], "tags": [f"tag-{rng.randrange(5)}"],
            "event": "Journée", "event_slug": f"journee-{rng.randrange(4)}",
            "date": date(2008, 1, 1) + timedelta(days=rng.randrange(5000)), "language": language,
            "has_slides": False, "slides": [], "version": "1"}


REBUILT = 2400  # enough for the common words' posting lists to span several blocks of the codec


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    rng = random.Random(7)
    index = SearchIndex(tmp_path_factory.mktemp("pruning-index"))
    index.rebuild(synthetic_talk(rng, number) for number in range(1, REBUILT + 1))
    index.apply(upserts=[synthetic_talk(rng, number) for number in range(REBUILT + 1, REBUILT + 61)],
                deletes=["talk:3", f"talk:{REBUILT + 50}"])
    return index


@pytest.fixture(scope="module")
def view(index):
    return index._reader.view()


def whoosh_docs(view, query) -> set[int]:
    """Whoosh's own matching, exclusions taken as a set difference: Whoosh's AndNot matcher was
    seen keeping a document that holds the excluded word (English stemming, several segments)."""
    if type(query) is wq.AndNot:
        return whoosh_docs(view, query.a) - whoosh_docs(view, query.b)
    if type(query) is wq.And:
        return set.intersection(*(whoosh_docs(view, sub) for sub in query.subqueries))
    return set(view.searcher.docs_for_query(query))


def exhaustive_ranking(view, query, allowed: set[int], limit: int) -> list[tuple[float, int]]:
    """Every match scored by Whoosh (with the recency bonus in final()), best first, ties by docnum."""
    results = view.searcher.search(query, limit=None, optimize=False)
    allowed = allowed & whoosh_docs(view, query)
    scored = [(hit.score, hit.docnum) for hit in results if hit.docnum in allowed]
    return sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit]


@pytest.mark.parametrize("q", QUERIES)
def test_pruned_top_page_is_the_exhaustive_top_page(view, q):
    text_query = build_query(parse_query(q), TALK_FIELDS)
    allowed = set(matching_docnums(view.searcher, wq.Term("type", "talk")))
    for limit in (1, 10, 20):
        top, matched = ranked(view, text_query, limit, allowed)
        expected = exhaustive_ranking(view, text_query, allowed, limit)
        assert [docnum for _, docnum in top] == [docnum for _, docnum in expected]
        assert [score for score, _ in top] == pytest.approx([score for score, _ in expected], rel=1e-9)
        assert matched == sorted(allowed & whoosh_docs(view, text_query))


@pytest.mark.parametrize("q", QUERIES)
def test_block_matching_finds_what_whoosh_matches(view, q):
    query = wq.And([build_query(parse_query(q), TALK_FIELDS), wq.Term("type", "talk", boost=0.0)])
    found = matching_docnums(view.searcher, query)
    assert found == sorted(whoosh_docs(view, query))
    assert found  # the queries are chosen to match something


def test_totals_and_facets_count_every_match_not_only_the_page(index, view):
    result = index.search(SearchRequest(q="médiation", per_page=5))
    every = matching_docnums(view.searcher, wq.And([build_query(parse_query("médiation"), TALK_FIELDS),
                                                    wq.Term("type", "talk", boost=0.0)]))
    assert result.total == len(every) > 5
    assert sum(result.facets["has_slides"].values()) == len(every)
    assert sum(result.facets["event"].values()) == len(every)



def whoosh_postings(matcher) -> list[tuple]:
    postings = []
    while matcher.is_active():
        postings.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return postings


@pytest.mark.skipif(not whoosh_internals.FAST_PATH_AVAILABLE, reason="fast path disabled: whoosh3 version differs")
def test_next_block_reads_the_blocks_whoosh_reads(view):
    """Block headers read in one call and ids summed by read_ids give the postings Whoosh's own
    matcher walks, block after block."""
    from search_index.whoosh_internals.blocks import leaf_postings, next_block, read_ids  # fast path only

    most_blocks = 0
    for leaf, _offset in view.searcher.reader().leaf_readers():
        for fieldname, text in (("summary_fr", "mediat"), ("sections_en", "librar"), ("pairs", "summary_fr open data")):
            if not leaf.doc_frequency(fieldname, text):
                continue
            ours, deleted = leaf_postings(leaf, fieldname, text)
            found, blocks = [], 0
            while ours.is_active():
                read_ids(ours), ours._read_weights(), ours._read_values()
                found.extend(zip(ours._ids, ours._weights, ours._values))
                blocks += 1
                next_block(ours)
            assert [posting for posting in found if posting[0] not in deleted] == \
                whoosh_postings(leaf.postings(fieldname, text))
            most_blocks = max(most_blocks, blocks)
    assert most_blocks > 1
