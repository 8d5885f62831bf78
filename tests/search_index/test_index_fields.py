"""The one-pass indexing of search_index.fields gives exactly the postings of Whoosh's generic path."""
from hypothesis import given, settings
from hypothesis import strategies as st

from search_index.analysis import ANALYZERS, TOKEN_PATTERN, analyze, matching_spans, words_of
from search_index.fields import FastText
from search_index.schema import build_schema

SAMPLES = [
    "Médiathèques numériques : l'économie du livre à Levallois-Perret",
    "R&D, C++ et node.js — jusqu’ici tout va bien; the library's users",
    "Œuvres d'art, œuvres du domaine public 2016 3.14 mednumsavoirs #mednumsavoirs",
    "", "   ", "a a a a b a", "Sophie Martin\nÉric Lefèbvre-Durand",
]
TEXT_FIELDS = [name for name, field in build_schema().items() if isinstance(field, FastText)]
WORDS = st.sampled_from(["médiation", "l'atelier", "R&D", "C++", "Levallois-Perret", "the", "library's",
                         "œuvre", "2016", "node.js", "qu'il", "ÉCOLE", "data", "#tag", "x", "-",
                         "’", "a.b.c"])


def generic_postings(field: FastText, text: str) -> list:
    return field.generic_postings(text)


def fast_postings(field: FastText, text: str) -> list:
    return list(field.index(text))


def test_every_text_field_of_the_schema_uses_the_fast_path():
    assert {"title_fr", "title_en", "summary_fr", "sections_en", "slides_fr", "speakers", "spell",
            "title_words", "tags_text_fr", "tags_text_en", "event_text_fr", "event_text_en"} <= set(TEXT_FIELDS)


def test_fast_postings_equal_generic_postings_on_samples():
    schema = build_schema()
    for name in TEXT_FIELDS:
        for text in SAMPLES:
            assert fast_postings(schema[name], text) == generic_postings(schema[name], text), (name, text)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS | st.text(max_size=12), max_size=30), st.sampled_from(TEXT_FIELDS))
def test_fast_postings_equal_generic_postings_on_any_text(words, name):
    field = build_schema()[name]
    text = " ".join(words)
    assert fast_postings(field, text) == generic_postings(field, text)


def test_repeated_words_keep_every_position():
    field = build_schema()["summary_fr"]
    text = "bibliothèque et bibliothèques"
    postings = {term: freq for term, freq, _weight, _code in fast_postings(field, text)}
    assert postings[b"bibliothequ"] == 2


def generic_spans(text: str, chain: str, wanted: set[str]) -> list:
    tokens = ANALYZERS[chain](text, chars=True, mode="index")
    return sorted({(t.startchar, t.endchar) for t in tokens if t.text in wanted})


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS | st.text(max_size=12), max_size=30), st.sampled_from(["fr", "en", "name"]))
def test_highlight_spans_equal_the_token_pipeline(words, chain):
    text = " ".join(words)
    wanted = {term for term in analyze(text, chain, "index")[::2]}
    fast = sorted(set(matching_spans(text, ANALYZERS[chain].items[-1].term, wanted)))
    assert fast == generic_spans(text, chain, wanted)


def test_highlight_spans_find_compounds_and_their_parts():
    text = "À Levallois-Perret, l'économie du R&D"
    spans = matching_spans(text, ANALYZERS["fr"].items[-1].term, {"perret", "econom", "r&d"})
    assert [text[start:end] for start, end in sorted(spans)] == ["Perret", "économie", "R&D"]


def pairs_from_whoosh_tokens(field, text: str, stops: frozenset) -> set[str]:
    """Consecutive terms by the positions Whoosh's own token pipeline gives (the phrase definition),
    but those holding a stop word's term."""
    at: dict[int, set[str]] = {}
    for token in field.analyzer(text, positions=True, mode="index"):
        if token.text not in stops:
            at.setdefault(token.pos, set()).add(token.text)
    return {f"{first} {second}" for pos, firsts in at.items()
            for first in firsts for second in at.get(pos + 1, ())}


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=12), st.sampled_from(["summary_fr", "sections_en", "speakers", "title_fr"]))
def test_pairs_are_the_consecutive_positions_of_the_text_field(words, name):
    schema = build_schema()
    text = " ".join(words)
    stops = schema["pairs"].skipped_terms(name)
    expected = {f"{name} {pair}" for pair in pairs_from_whoosh_tokens(schema[name], text, stops)}
    assert schema["pairs"].pairs({name: text}) == expected
    assert {term for term, *_ in schema["pairs"].index({name: text})} == {pair.encode() for pair in expected}


def test_pairs_of_samples_include_compound_parts():
    pairs = build_schema()["pairs"].pairs({"summary_fr": SAMPLES[0], "speakers": SAMPLES[-1]})
    assert {"summary_fr levallois perret", "summary_fr levallois-perret perret", "speakers martin eric"} <= pairs
    assert "speakers sophie eric" not in pairs


def test_pairs_holding_a_stop_word_are_left_out():
    pairs = build_schema()["pairs"].pairs({"summary_fr": "La médiation de la lecture publique à Lyon",
                                           "sections_en": "the open data of the city", "speakers": "Anne de Bretagne"})
    assert pairs == {"summary_fr lectur publiqu", "sections_en open data"}


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS | st.text(max_size=8) | st.sampled_from([" ", "\n", "\t", "\u00a0", "\u2003", "\x1f", ",", "_"]),
                max_size=30))
def test_words_of_a_text_are_the_token_pattern_matches(parts):
    text = "".join(parts)
    assert words_of(text) == TOKEN_PATTERN.findall(text)
