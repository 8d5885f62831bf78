"""The French and English analysis chains of search_index."""
import pytest

from search_index.analysis import (
    analyze,
    fold,
    is_stop_word,
    joined_form,
    joined_query_form,
    query_forms,
    split_compound,
    strip_elision,
)


def terms(text, chain="fr", mode="index"):
    return analyze(text, chain, mode)


@pytest.mark.parametrize("plain, accented", [
    ("mediatheque", "médiathèque"), ("securite", "sécurité"), ("MEDIATION", "Médiation"),
    ("oeuvre", "œuvre"), ("OEUVRES", "Œuvres"), ("aesir", "Æsir"), ("ecole", "École"),
])
def test_case_accents_and_ligatures_are_ignored(plain, accented):
    assert terms(plain) == terms(accented)
    assert terms(plain, "en") == terms(accented, "en")


def test_accents_are_folded_before_stemming():
    assert terms("mediatheques numeriques") == terms("Médiathèques numériques") == ["mediathequ", "numer"]


@pytest.mark.parametrize("singular, plural", [
    ("médiathèque", "médiathèques"), ("numérique", "numériques"), ("formation", "formations"),
    ("thématique", "thématiques"), ("savoir", "savoirs"),
])
def test_french_stems_join_inflections(singular, plural):
    assert terms(singular) == terms(plural)


def test_english_stemming():
    assert terms("libraries", "en") == terms("library", "en")
    assert terms("running", "en") == terms("runs", "en")


@pytest.mark.parametrize("elided, bare", [
    ("l'économie", "économie"), ("d'usage", "usage"), ("qu'il", "il"), ("j'ai", "ai"), ("n'est", "est"),
    ("s'inscrire", "inscrire"), ("t'aime", "aime"), ("m'intéresse", "intéresse"), ("c'était", "était"),
    ("jusqu'ici", "ici"), ("lorsqu'on", "on"), ("puisqu'elle", "elle"),
    ("l’économie", "économie"), ("d’usage", "usage"), ("jusqu’ici", "ici"), ("L'Économie", "économie"),
])
def test_elisions_are_stripped_with_both_apostrophes(elided, bare):
    assert terms(elided) == terms(bare)
    assert strip_elision(elided).casefold() == bare.casefold()


def test_english_possessive_is_stripped():
    assert terms("Python's", "en") == terms("Python", "en")


def test_words_that_merely_start_like_an_elision_are_kept():
    assert terms("aujourd'hui") == ["aujourd'hui", "aujourd", "hui"]
    assert terms("lecture") == ["lectur"]


@pytest.mark.parametrize("word, whole, parts", [
    ("C++", "c++", ["c"]), ("R&D", "r&d", ["r", "d"]),
    ("Levallois-Perret", "levallois-perret", ["levalloisperret", "levallois", "perret"]),
])
def test_compounds_are_indexed_whole_and_by_parts(word, whole, parts):
    indexed = terms(word, "name")
    assert indexed[0] == whole
    assert indexed[1:] == parts


def test_compound_positions_let_phrases_match_hyphenated_or_not():
    from search_index.analysis import ANALYZERS

    tokens = [(t.text, t.pos) for t in ANALYZERS["name"]("Médiathèques de Levallois-Perret", positions=True,
                                                         mode="index")]
    assert tokens == [("mediatheques", 0), ("de", 1), ("levallois-perret", 2), ("levalloisperret", 2),
                      ("levallois", 2), ("perret", 3)]
    query = [(t.text, t.pos) for t in ANALYZERS["name"]("Levallois-Perret", positions=True, mode="query")]
    assert query == [("levallois", 0), ("perret", 1)]


def test_short_symbol_compounds_are_searched_whole():
    assert query_forms("C++") == ["C++"]
    assert query_forms("R&D") == ["R&D"]
    assert query_forms("3.14") == ["3.14"]
    assert query_forms("Levallois-Perret") == ["Levallois", "Perret"]
    assert terms("C++", "fr", "query") == ["c++"]
    assert terms("R&D", "fr", "query") == ["r&d"]


def test_symbol_compounds_share_one_position():
    from search_index.analysis import ANALYZERS

    tokens = [(t.text, t.pos) for t in ANALYZERS["fr"]("R&D interne", positions=True, mode="index")]
    assert tokens == [("r&d", 0), ("r", 0), ("d", 0), ("intern", 1)]


def test_hashtag_is_the_word():
    assert terms("#mednumsavoirs", "name") == terms("mednumsavoirs", "name") == ["mednumsavoirs"]
    assert terms("#MedNumSavoirs") == terms("mednumsavoirs")


def test_char_offsets_point_at_the_original_text():
    from search_index.analysis import ANALYZERS

    text = "Vive l'économie !"
    token = [t.copy() for t in ANALYZERS["fr"](text, chars=True, mode="index")][1]
    assert text[token.startchar:token.endchar] == "économie"


def test_stop_words_are_indexed_so_phrases_keep_them():
    assert terms("la médiation des savoirs") == ["la", "mediat", "de", "savoir"]


@pytest.mark.parametrize("word", ["le", "Les", "des", "à", "the", "of", "l'", "était"])
def test_stop_words_are_known_in_both_languages(word):
    assert is_stop_word(word)


@pytest.mark.parametrize("word", ["médiation", "library", "python"])
def test_content_words_are_not_stop_words(word):
    assert not is_stop_word(word)


def test_fold_and_split_helpers():
    assert fold("Œuvre Médiathèque") == "oeuvre mediatheque"
    assert split_compound("Levallois-Perret") == ["Levallois", "Perret"]
    assert split_compound("snake_case") == ["snake", "case"]


def test_empty_and_punctuation_only_text_make_no_terms():
    assert terms("") == []
    assert terms(" -- ' ’ !!") == []


@pytest.mark.parametrize("hyphenated, typed", [
    ("micro-services", "microservices"), ("peut-être", "peutetre"), ("non-structurées", "nonstructuree"),
    ("multi-instrumentés", "multiinstrumente"), ("Levallois-Perret", "levalloisperret"),
])
@pytest.mark.parametrize("chain", ["fr", "en"])
def test_a_hyphenated_word_is_also_indexed_joined_and_stemmed_as_typed(hyphenated, typed, chain):
    [joined] = terms(typed, chain, "query")
    assert terms(hyphenated, chain)[:2] == [fold(hyphenated), joined]


def test_the_joined_form_sits_on_the_first_part_and_spans_the_whole_word():
    from search_index.analysis import ANALYZERS

    text = "Des micro-services partout"
    tokens = [(t.text, t.pos, text[t.startchar:t.endchar])
              for t in ANALYZERS["fr"](text, positions=True, chars=True, mode="index")]
    assert tokens == [("de", 0, "Des"), ("micro-services", 1, "micro-services"), ("microservic", 1, "micro-services"),
                      ("micro", 1, "micro"), ("servic", 2, "services"), ("partout", 3, "partout")]


@pytest.mark.parametrize("word", ["C++", "R&D", "covid-19", "node.js", "aujourd'hui", "snake_case", "micro-"])
def test_only_hyphenated_words_of_letters_are_joined(word):
    assert joined_form(word) is None
    assert not any(term.isalpha() and len(term) > len(max(split_compound(word), key=len, default=""))
                   for term in terms(word, "name"))


def test_the_query_is_never_joined_by_the_tokenizer():
    assert terms("micro-services", "fr", "query") == ["micro", "servic"]
    assert joined_query_form("l'auto-hébergement") == "autohébergement"
    assert joined_query_form("micro-services architecture") is None
