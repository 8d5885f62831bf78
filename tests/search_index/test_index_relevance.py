"""Known-item searches on a small French/English archive (search_index, no Flask)."""
from datetime import date

import pytest

from search_index import SearchIndex, SearchRequest


def talk(number, title, summary="", *, speakers=(), tags=(), event="Journée d'étude", when=date(2016, 10, 5),
         language="fr", sections="", slides=()):
    slugs = [name.lower().replace(" ", "-") for name in speakers]
    return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}", "title": title, "summary": summary,
            "sections": sections, "speakers": list(speakers), "speaker_slugs": slugs, "tags": list(tags),
            "event": event, "event_slug": event.lower().replace(" ", "-").replace("'", ""), "date": when,
            "language": language, "has_slides": bool(slides), "slides": list(slides), "version": "1"}


SEED = talk(
    1, "Politique de médiation numérique des savoirs – Médiathèques de Levallois-Perret",
    "Les médiathèques de Levallois ont ouvert des blogs thématiques pour partager les savoirs de leurs usagers.",
    speakers=["Sophie Perrusson"], tags=["mednumsavoirs", "médiation"],
    sections="Bilan chiffré : 40 000 visites. Formation des équipes avec le CNFPT. Un jeu, Biblioquest, "
             "fait découvrir les collections.",
    slides=[{"page": 1, "text": "Sommaire"}, {"page": 2, "text": "Les blogs thématiques"},
            {"page": 3, "text": "Biblioquest : un jeu de piste dans la médiathèque"}])

CORPUS = [
    SEED,
    talk(2, "Numériser les archives paroissiales", "Numérisation participative des registres avec des bénévoles.",
         speakers=["Jean Dupont"], tags=["patrimoine"], when=date(2018, 3, 1)),
    talk(3, "Open data in public libraries", "How libraries publish their catalogue as open data.",
         speakers=["Alice Smith"], tags=["opendata"], language="en", when=date(2019, 5, 2)),
    talk(4, "Ateliers d'écriture pour adolescents", "Des ateliers d'écriture en bibliothèque pour les 12-16 ans.",
         speakers=["Claire Martin"], tags=["jeunesse"], when=date(2017, 6, 1)),
    talk(5, "Le fablab de la médiathèque : impression 3D et robotique",
         "Un tiers-lieu où l'on apprend la robotique et la programmation en C++ et en Python.",
         speakers=["Hugo Bernard"], tags=["fablab"], when=date(2020, 1, 15)),
    talk(6, "L'économie des ressources numériques en bibliothèque",
         "Acheter des livres numériques coûte cher : négocier les licences avec les éditeurs.",
         speakers=["Agnès Moreau"], tags=["ressources-numériques"], when=date(2021, 9, 9)),
    talk(7, "Wikipedia and crowdsourcing in museums", "Museums invite volunteers to improve Wikipedia articles.",
         speakers=["Bob Jones"], tags=["wikipedia"], language="en", when=date(2016, 2, 2)),
    talk(8, "Accueillir les publics éloignés du numérique", "La médiation numérique pour les seniors.",
         speakers=["Sophie Perrusson", "Paul Petit"], tags=["inclusion"], when=date(2022, 4, 4)),
    talk(9, "La R&D dans les bibliothèques universitaires", "Recherche et développement, services aux chercheurs.",
         speakers=["Éric Roux"], tags=["recherche"], language=None, when=date(2015, 11, 11)),
    talk(10, "Œuvres du domaine public", "Diffuser les œuvres du domaine public sans restrictions.",
         speakers=["Zoé Laurent"], tags=["domaine-public"], when=date(2023, 1, 20)),
]
SPEAKERS = [
    {"id": "speaker:1", "type": "speaker", "slug": "sophie-perrusson", "name": "Sophie Perrusson", "aliases": [],
     "headline": "Responsable de la médiation numérique", "organisation": "Médiathèques de Levallois",
     "bio": "Bibliothécaire.", "version": "1"},
    {"id": "speaker:2", "type": "speaker", "slug": "alice-smith", "name": "Alice Smith", "aliases": ["A. Smith"],
     "headline": "Librarian", "organisation": "City library", "bio": "", "version": "1"},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    search_index = SearchIndex(tmp_path_factory.mktemp("relevance-index"))
    search_index.rebuild(iter(CORPUS + SPEAKERS))
    return search_index


def ranked_ids(index, q, **filters):
    return [hit.id for hit in index.search(SearchRequest(q=q, **filters)).hits]


@pytest.mark.parametrize("q, expected", [
    ("médiathèques levallois", "talk:1"), ("MEDIATHEQUES LEVALLOIS", "talk:1"), ("mediatheque levallois", "talk:1"),
    ("archives paroissiales", "talk:2"), ("ARCHIVES PAROISSIALES", "talk:2"), ("numeriser archives", "talk:2"),
    ("open data libraries", "talk:3"), ("library", "talk:3"), ("ateliers écriture", "talk:4"),
    ("ecriture adolescent", "talk:4"), ("fablab robotique", "talk:5"), ("economie ressources", "talk:6"),
    ("l'économie", "talk:6"), ("wikipedia museums", "talk:7"), ("publics éloignés", "talk:8"),
    ("eloignes du numerique", "talk:8"), ("R&D", "talk:9"), ("oeuvres domaine public", "talk:10"),
    ("œuvre", "talk:10"),
])
def test_known_item_is_in_the_top_three(index, q, expected):
    assert expected in ranked_ids(index, q)[:3]


@pytest.mark.parametrize("q", ["mediation numerique levallois", "#mednumsavoirs", "mednumsavoirs",
                               "Médiation Numérique Levallois-Perret", "levallois perret"])
def test_seed_talk_comes_first(index, q):
    assert ranked_ids(index, q)[0] == "talk:1"


def test_speaker_by_name_finds_talks_and_speaker(index):
    result = index.search(SearchRequest(q="Perrusson"))
    assert {hit.id for hit in result.hits} == {"talk:1", "talk:8"}
    assert result.speakers[0]["slug"] == "sophie-perrusson"
    assert result.speakers[0]["name"] == "Sophie Perrusson"


def test_speaker_alias_finds_the_speaker(index):
    assert [s["slug"] for s in index.search(SearchRequest(q="A. Smith")).speakers] == ["alice-smith"]


def test_hashtag_finds_tagged_talk_only(index):
    assert ranked_ids(index, "#jeunesse") == ["talk:4"]
    assert ranked_ids(index, "tag:fablab") == ["talk:5"]


def test_misspelling_suggests_correction(index):
    result = index.search(SearchRequest(q="médation"))
    assert result.total == 0
    assert result.suggestion == "médiation"


def test_no_suggestion_for_a_word_that_finds_talks(index):
    assert index.search(SearchRequest(q="mediation")).suggestion is None
    assert index.search(SearchRequest(q="médiathèque")).suggestion is None


def test_a_word_known_only_from_a_summary_is_not_corrected(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[talk(1, "Le chaos des fonds"), talk(2, "Chaos et archives"), talk(3, "Du chaos à l'ordre"),
                         talk(4, "Accueillir les animaux", "Des chats à la médiathèque.")])
    assert index.search(SearchRequest(q="chats")).total == 1
    assert index.search(SearchRequest(q="chats")).suggestion is None
    assert index.search(SearchRequest(q="chaus")).suggestion == "chaos"


def test_phrase_requires_adjacent_words(index):
    assert ranked_ids(index, '"bilan chiffré"') == ["talk:1"]
    assert ranked_ids(index, '"chiffré bilan"') == []
    assert ranked_ids(index, '"médiathèques de levallois-perret"') == ["talk:1"]


def test_exclusion_removes_talks(index):
    with_both = set(ranked_ids(index, "médiation numérique"))
    assert {"talk:1", "talk:8"} <= with_both
    assert "talk:8" not in ranked_ids(index, "médiation numérique -seniors")
    assert "talk:1" not in ranked_ids(index, 'médiation -"blogs thématiques"')


def test_or_finds_either(index):
    either = index.search(SearchRequest(q="fablab OR wikipedia"))
    assert {hit.id for hit in either.hits} == {"talk:5", "talk:7"} and not either.is_relaxed
    both = index.search(SearchRequest(q="fablab wikipedia"))  # no talk has both: those with one, said so
    assert both.is_relaxed and {hit.id for hit in both.hits} == {"talk:5", "talk:7"}


def test_field_restrictions(index):
    assert ranked_ids(index, "title:blogs") == []
    assert ranked_ids(index, "blogs") == ["talk:1"]
    assert set(ranked_ids(index, "speaker:sophie")) == {"talk:1", "talk:8"}
    assert ranked_ids(index, 'event:"journée d\'étude" title:fablab') == ["talk:5"]


def test_c_plus_plus_is_findable(index):
    assert ranked_ids(index, "C++") == ["talk:5"]


def test_malformed_queries_never_raise(index):
    for q in ['"unclosed', "title:", "foo:bar médiation", "((médiation", "-", "OR", "AND OR NOT", ":::", '"" ""',
              "médiation OR", "\\", "*", "a" * 400]:
        result = index.search(SearchRequest(q=q))
        assert result.total >= 0
    assert ranked_ids(index, "blogs:médiathèques levallois") == ranked_ids(index, "blogs médiathèques levallois")
    assert ranked_ids(index, "blogs:médiathèques") == ["talk:1"]


def test_query_of_stop_words_only_still_searches(index):
    assert index.search(SearchRequest(q="les")).total > 0
    assert index.search(SearchRequest(q="the")).total == 0 or ranked_ids(index, "the")


def test_stop_words_do_not_block_content_words(index):
    assert ranked_ids(index, "les archives et les bénévoles")[:1] == ["talk:2"]


def test_slide_hit_names_its_page(index):
    hit = index.search(SearchRequest(q="jeu de piste")).hits[0]
    assert hit.id == "talk:1"
    assert hit.slide_page == 3


def test_recent_talk_wins_a_relevance_tie(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[talk(1, "Conte numérique", when=date(2010, 1, 1)),
                         talk(2, "Conte numérique", when=date(2024, 1, 1))])
    assert ranked_ids(index, "conte") == ["talk:2", "talk:1"]


def test_singular_and_plural_find_the_same_talks_whatever_holds_the_word(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=[
        talk(1, "Un fablab en bibliothèque", language="fr"), talk(2, "Running fablabs", language="en"),
        talk(3, "Fablabs et médiathèques", language=None),
        talk(4, "Atelier du samedi", tags=["fablabs"], language="fr"),
        talk(5, "Saturday workshop", event="Rencontre nationale des fablabs", language="en"),
        talk(6, "Tiers-lieu", event="Journée des fablabs, Médiathèque de Lannion", language=None),
        talk(7, "Autre chose", tags=["makerspace"], event="Journée d'étude")])
    every_one = ["talk:1", "talk:2", "talk:3", "talk:4", "talk:5", "talk:6"]
    for query in ("fablab", "fablabs", "Fablabs", "#fablab"):
        assert sorted(ranked_ids(index, query)) == every_one, query
    assert ranked_ids(index, "tag:fablab") == ranked_ids(index, "tag:fablabs") == ["talk:4"]
    assert sorted(ranked_ids(index, "event:fablab")) == ["talk:5", "talk:6"]
    assert ranked_ids(index, 'event:"médiathèques de Lannion"') == ["talk:6"]


COMPOUNDS = [
    talk(21, "Des micro-services avec Kubernetes", "Quitter le monolithe, peut-être pas tout de suite.",
         when=date(2019, 3, 1)),
    talk(22, "Microservices in Python", "Monolithic applications split into microservices.", language="en",
         when=date(2020, 3, 1)),
    talk(23, "Données non-structurées et recherche plein texte", "Indexer des PDF.", when=date(2018, 3, 1)),
    talk(24, "Musiciens multi-instrumentés et code", "Jouer de tout, programmer aussi.", when=date(2017, 3, 1)),
    talk(25, "Déployer sur Kubernetes", "Des conteneurs en production.", when=date(2021, 3, 1)),
    talk(26, "Un monolithe bien rangé", "Un seul dépôt.", when=date(2016, 3, 1)),
]


@pytest.fixture(scope="module")
def compounds(tmp_path_factory):
    search_index = SearchIndex(tmp_path_factory.mktemp("compound-index"))
    search_index.rebuild(iter(COMPOUNDS))
    return search_index


@pytest.mark.parametrize("q, expected", [
    ("microservices", "talk:21"), ("microservice", "talk:21"), ("peutetre", "talk:21"),
    ("nonstructuree", "talk:23"), ("nonstructurées", "talk:23"), ("multiinstrumente", "talk:24"),
    ("MultiInstrumentés code", "talk:24"),
])
def test_a_compound_typed_as_one_word_finds_the_hyphenated_one(compounds, q, expected):
    result = compounds.search(SearchRequest(q=q))
    assert expected in [hit.id for hit in result.hits][:3] and not result.is_relaxed


@pytest.mark.parametrize("q, expected", [
    ("micro services", {"talk:21", "talk:22"}), ("micro-services", {"talk:21", "talk:22"}),
    ("Micro Services kubernetes", {"talk:21"}), ("peut être", {"talk:21"}), ("non structurées", {"talk:23"}),
    ("multi instrumentés", {"talk:24"}),
])
def test_a_compound_typed_apart_finds_it_hyphenated_or_joined(compounds, q, expected):
    result = compounds.search(SearchRequest(q=q))
    assert {hit.id for hit in result.hits} == expected and not result.is_relaxed


def test_a_joined_match_marks_the_whole_word(compounds):
    [hyphenated] = compounds.search(SearchRequest(q="microservices kubernetes")).hits
    assert hyphenated.highlights["title"] == "Des <mark>micro-services</mark> avec <mark>Kubernetes</mark>"
    joined = next(hit for hit in compounds.search(SearchRequest(q="micro services")).hits if hit.id == "talk:22")
    assert joined.highlights["title"] == "<mark>Microservices</mark> in Python"


def test_a_query_with_one_word_no_talk_has_answers_the_talks_with_most_of_them(compounds):
    result = compounds.search(SearchRequest(q="microservice kubernetes monolithic"))
    assert result.is_relaxed and not result.is_partial
    assert {hit.id for hit in result.hits} == {"talk:21", "talk:22"} and result.total == 2  # not 25: one word of three
    assert sum(result.facets["language"].values()) == 2


def test_the_talks_with_most_of_the_words_rank_first(compounds):
    result = compounds.search(SearchRequest(q="kubernetes conteneurs monolithe quitter"))
    assert result.is_relaxed and [hit.id for hit in result.hits] == ["talk:21", "talk:25"]  # 3 of 4, then 2 of 4
    second = compounds.search(SearchRequest(q="kubernetes conteneurs monolithe quitter", per_page=1, page=2))
    assert [hit.id for hit in second.hits] == ["talk:25"] and second.total == 2 and second.is_relaxed
    by_date = compounds.search(SearchRequest(q="microservice kubernetes monolithic", sort="date"))
    assert [hit.id for hit in by_date.hits] == ["talk:22", "talk:21"] and by_date.is_relaxed


def test_talks_with_most_of_the_words_still_obey_exclusions_and_filters(compounds):
    assert ranked_ids(compounds, "microservice kubernetes monolithic -python") == ["talk:21"]
    assert ranked_ids(compounds, "microservice kubernetes monolithic", lang="en") == ["talk:22"]


def test_talks_with_most_of_the_words_keep_the_did_you_mean(compounds):
    result = compounds.search(SearchRequest(q="kuberntes monolithe"))
    assert result.is_relaxed and {hit.id for hit in result.hits} == {"talk:21", "talk:22", "talk:26"}
    assert result.suggestion == "kubernetes monolithe"


@pytest.mark.parametrize("q", [
    '"microservice kubernetes monolithic"', '"micro services" monolithic', "title:kubernetes title:monolithe",
    "#kubernetes python", "qqqq", "zzzz qqqq",
])
def test_phrases_fields_tags_and_single_words_stay_strict(compounds, q):
    result = compounds.search(SearchRequest(q=q))
    assert result.total == 0 and result.hits == [] and not result.is_relaxed


def test_an_exact_phrase_does_not_match_the_joined_word(compounds):
    assert ranked_ids(compounds, '"micro services"') == ["talk:21"]
    assert ranked_ids(compounds, '"micro-services avec"') == ["talk:21"]


def test_a_query_every_talk_matches_in_full_is_not_relaxed(compounds):
    result = compounds.search(SearchRequest(q="kubernetes conteneurs"))
    assert [hit.id for hit in result.hits] == ["talk:25"] and not result.is_relaxed
