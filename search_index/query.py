"""The visitor's query language, parsed by hand so that it can never raise.

    médiation numérique        both words (AND by default), accents and case ignored
    "bilan chiffré"            exact phrase
    -wordpress  -"mot clé"     exclusion (also NOT word)
    blog OR wiki               either
    title: speaker: tag: event:   restrict a word or "phrase" to a field
    #mednumsavoirs             the tag, and the talks that mention it

Anything else (unknown field:, stray quotes or parentheses, a lone OR) degrades to plain words.

What a query may cost is bounded here first (the search's budget, budget.py, bounds the rest):
a clause repeated (the same word, phrase or field term, after analysis) is searched once, and a
query keeps its first MAX_TERMS words and MAX_PHRASES phrases, the rest being ignored.
"""
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from whoosh import query as wq

from .analysis import ANALYZERS, is_stop_word, joined_query_form

CLAUSE_PATTERN = re.compile(r'(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
KNOWN_FIELDS = ("title", "speaker", "tag", "event")
MAX_TERMS = 32  # words of a query, those of its phrases and exclusions included
MAX_PHRASES = 8
MAX_JOINED_PAIRS = 8  # consecutive words also searched joined ("micro services": "microservices"), the first ones
ANALYSED_TEXTS = 4096  # (text, chain) pairs whose terms are kept by terms_for
STEMMED_CHAINS = ("fr", "en")  # repeated clauses are recognised by their stems when they have some

# (whoosh field, analysis chain, boost) searched for each user field; None = everywhere. Tags and
# event text fill both languages' fields in every document (schema.py): each gets half the boost.
TALK_FIELDS = {
    None: (("title_fr", "fr", 4.0), ("title_en", "en", 4.0), ("speakers", "name", 3.0),
           ("tags_text_fr", "fr", 1.5), ("tags_text_en", "en", 1.5), ("event_text_fr", "fr", 0.75),
           ("event_text_en", "en", 0.75), ("summary_fr", "fr", 1.5), ("summary_en", "en", 1.5),
           ("sections_fr", "fr", 1.0), ("sections_en", "en", 1.0), ("slides_fr", "fr", 0.7),
           ("slides_en", "en", 0.7), ("transcript_fr", "fr", 0.7), ("transcript_en", "en", 0.7)),
    "title": (("title_fr", "fr", 1.0), ("title_en", "en", 1.0)),
    "speaker": (("speakers", "name", 1.0),),
    "tag": (("tags_text_fr", "fr", 1.0), ("tags_text_en", "en", 1.0)),
    "event": (("event_text_fr", "fr", 1.0), ("event_text_en", "en", 1.0)),
}
SPEAKER_FIELDS = {
    None: (("speakers", "name", 4.0), ("summary_fr", "fr", 1.0), ("summary_en", "en", 1.0)),
    "speaker": (("speakers", "name", 1.0),),
}


@dataclass
class Clause:
    text: str
    field: str | None = None
    is_phrase: bool = False
    is_negated: bool = False
    is_tag: bool = False


@dataclass
class ParsedQuery:
    """Groups of alternatives: [[a], [b, c]] means a AND (b OR c).

    `is_truncated`: the query had more than MAX_TERMS words or MAX_PHRASES phrases; the rest was left out."""
    groups: list[list[Clause]] = field(default_factory=list)
    is_truncated: bool = False

    def positive_clauses(self) -> list[Clause]:
        return [c for group in self.groups for c in group if not c.is_negated]

    @property
    def is_empty(self) -> bool:
        return not self.groups


def parse_query(text: str) -> ParsedQuery:
    """The clauses of a query string, each repeated one once, within the caps; never raises."""
    return capped(folded(_parsed(text)))


def _parsed(text: str) -> ParsedQuery:
    """Every clause of a query string, as written."""
    parsed, pending_or, pending_not = ParsedQuery(), False, False
    for match in CLAUSE_PATTERN.finditer(text or ""):
        raw = match.group(0)
        if raw in ("OR", "||") and parsed.groups:
            pending_or = True
            continue
        if raw in ("AND", "&&"):
            continue
        if raw == "NOT":
            pending_not = True
            continue
        for clause in _clauses(match, pending_not):
            _add_clause(parsed, clause, pending_or and not clause.is_negated)
            pending_or = False
        pending_not = False
    return parsed


def _add_clause(parsed: ParsedQuery, clause: Clause, joins_previous: bool) -> None:
    if joins_previous and not parsed.groups[-1][-1].is_negated:
        parsed.groups[-1].append(clause)
    else:
        parsed.groups.append([clause])


def _clauses(match: re.Match, negated: bool) -> list[Clause]:
    negated = negated or bool(match.group("neg"))
    field_name, phrase, word = (match.group("field") or "").lower(), match.group("phrase"), match.group("word")
    text = (phrase if phrase is not None else word or "").strip()
    if field_name and field_name not in KNOWN_FIELDS:
        text, field_name = f"{match.group('field')} {text}", ""
    if not re.search(r"\w", text):
        return []
    is_tag = field_name == "tag" or (phrase is None and text.startswith("#"))
    is_phrase = phrase is not None or (not field_name and len(text.split()) > 1)
    if is_phrase and field_name == "" and phrase is None:
        return [Clause(part, is_negated=negated) for part in text.split()]
    return [Clause(text.lstrip("#") if is_tag else text, field_name or None, is_phrase, negated, is_tag)]


def clause_key(clause: Clause) -> tuple:
    """What a clause searches for, as analysed: "Médiation", "médiation" and "mediations" share a key.

    Words are told apart by their stems in the French and English chains when their fields have
    them (speakers' names, not stemmed, are then searched in the clause's first spelling)."""
    chains = {chain for _name, chain, _boost in TALK_FIELDS.get(clause.field, ())}
    chains = [chain for chain in STEMMED_CHAINS if chain in chains] or sorted(chains)
    analysed = tuple(tuple(term for term, _ in terms_for(clause.text, chain)) for chain in chains)
    tag = unicodedata.normalize("NFC", clause.text).casefold() if clause.is_tag else None
    return clause.field, clause.is_phrase, clause.is_negated, tag, analysed


def folded(parsed: ParsedQuery) -> ParsedQuery:
    """The query with each repeated clause once: within a group (a OR a), and as a group (a a)."""
    groups, seen = [], set()
    for group in parsed.groups:
        keys = {}
        for clause in group:
            keys.setdefault(clause_key(clause), clause)
        if frozenset(keys) not in seen:
            seen.add(frozenset(keys))
            groups.append(list(keys.values()))
    return ParsedQuery(groups, parsed.is_truncated)


def capped(parsed: ParsedQuery) -> ParsedQuery:
    """The query's first MAX_TERMS words and MAX_PHRASES phrases, read left to right (a phrase
    counts its words too, and is cut to the words left); the rest is left out, and said so."""
    result, words_left, phrases_left = ParsedQuery(is_truncated=parsed.is_truncated), MAX_TERMS, MAX_PHRASES
    for group in parsed.groups:
        kept = []
        for clause in group:
            fitted = _fitted(clause, words_left, phrases_left)
            result.is_truncated |= fitted is not clause
            if fitted is not None:
                kept.append(fitted)
                words_left, phrases_left = words_left - len(fitted.text.split()), phrases_left - fitted.is_phrase
        if kept:
            result.groups.append(kept)
    return result


def _fitted(clause: Clause, words_left: int, phrases_left: int) -> Clause | None:
    """The clause, the clause cut to the words left, or None when no room is left for it."""
    words = clause.text.split()
    if not words_left or (clause.is_phrase and not phrases_left):
        return None
    return clause if len(words) <= words_left else replace(clause, text=" ".join(words[:words_left]))


@lru_cache(maxsize=ANALYSED_TEXTS)
def terms_for(text: str, chain: str) -> tuple[tuple[str, int], ...]:
    """(term, position) pairs a query text gives in one analysis chain, analysed once: a query asks
    for the same text in the same chain for every field, to fold repeats and to highlight."""
    return tuple((token.text, token.pos) for token in ANALYZERS[chain](text, positions=True, mode="query"))


def field_query(field_name: str, chain: str, text: str, boost: float = 1.0):
    """Term, or phrase when the text makes several terms; None when it makes none."""
    terms = terms_for(text, chain)
    if not terms:
        return None
    if len(terms) == 1:
        return wq.Term(field_name, terms[0][0], boost=boost)
    words = [term for term, _ in terms]
    return wq.Phrase(field_name, words, boost=boost)


def clause_query(clause: Clause, field_map: dict):
    """The clause searched across the fields its user field names; None if it cannot apply.

    A hyphenated word is also searched joined ("micro-services": "microservices" too); a phrase is not."""
    specs = field_map.get(clause.field)
    if specs is None:
        return None
    joined = None if clause.is_phrase else joined_query_form(clause.text)
    texts = (clause.text, joined) if joined else (clause.text,)
    subqueries = [q for text in texts for spec in specs if (q := field_query(spec[0], spec[1], text, spec[2]))]
    if clause.is_tag and field_map is TALK_FIELDS:
        subqueries.append(wq.Term("tag", unicodedata.normalize("NFC", clause.text).casefold(), boost=3.0))
    if not subqueries:
        return None
    return subqueries[0] if len(subqueries) == 1 else wq.Or(subqueries)


def _droppable(clause: Clause) -> bool:
    return not clause.is_phrase and not clause.is_tag and clause.field is None and is_stop_word(clause.text)


HasTerm = Callable[[str, str], bool]  # (field name, term) -> whether the index holds it


def indexed_in(searcher) -> HasTerm:
    """A HasTerm asking the searcher's index."""
    schema = searcher.schema
    return lambda fieldname, text: fieldname in schema and searcher.doc_frequency(fieldname, text) > 0


def build_query(parsed: ParsedQuery, field_map: dict, has_term: HasTerm | None = None):
    """A Whoosh query for the parsed clauses, or None when nothing searchable is left: every
    required unit (required_units), and none of the exclusions."""
    positives = required_units(parsed, field_map, has_term)
    if positives is None:
        return None
    negatives = excluded_query(parsed, field_map)
    if not positives:
        return wq.AndNot(wq.Every(), negatives) if negatives else None
    positive = positives[0] if len(positives) == 1 else wq.And(positives)
    return wq.AndNot(positive, negatives) if negatives else positive


def required_units(parsed: ParsedQuery, field_map: dict, has_term: HasTerm | None = None) -> list | None:
    """A query per group a match needs, in query order; None when one cannot apply to these fields.

    Stop words are dropped from plain-word clauses unless the query is made only of them
    ("the who", "être ou ne pas être"): stop words are indexed, so those still match. Two
    consecutive words are also searched joined, as the index joins hyphenated words: the unit of
    each is the word or the joined form ("micro services": micro OR microservices, services OR
    microservices), so a match holds both words or their joined form. The joined form is searched
    only in the fields where `has_term` finds it (everywhere without `has_term`): most pairs
    make no word, and looking the term up costs less than searching it twice.
    """
    required = _required_groups(parsed)
    units = {index: _group_query(parsed.groups[index], field_map) for index in required}
    if any(q is None for q in units.values()):
        return None
    alternatives: dict[int, list] = {index: [] for index in required}
    for first, second in _joinable_pairs(parsed, required)[:MAX_JOINED_PAIRS]:
        joined = _joined_query(parsed.groups[first][0].text + parsed.groups[second][0].text, field_map, has_term)
        for index in (first, second) if joined is not None else ():
            alternatives[index].append(joined)
    return [wq.Or([units[index], *alternatives[index]]) if alternatives[index] else units[index]
            for index in required]


def excluded_query(parsed: ParsedQuery, field_map: dict):
    """What the query's exclusions match (one query), or None when it has none."""
    negatives = [q for g in parsed.groups for c in g if c.is_negated and (q := clause_query(c, field_map))]
    return wq.Or(negatives) if negatives else None


def _joined_query(word: str, field_map: dict, has_term: HasTerm | None):
    """Two consecutive words joined, searched in the fields that hold it; None where none does."""
    terms = [wq.Term(name, term, boost=boost) for name, chain, boost in field_map[None]
             for term, _ in terms_for(word, chain) if has_term is None or has_term(name, term)]
    return None if not terms else terms[0] if len(terms) == 1 else wq.Or(terms)


def relaxable_units(parsed: ParsedQuery, field_map: dict, has_term: HasTerm | None = None) -> list | None:
    """The required units of a query that may be answered with the talks holding most of them
    when none holds them all: two or more, of plain words only (phrases, field: and #tags stay
    strict); None for any other query."""
    if any(c.is_phrase or c.field or c.is_tag for g in parsed.groups for c in g):
        return None
    units = required_units(parsed, field_map, has_term)
    return units if units and len(units) > 1 else None


def _required_groups(parsed: ParsedQuery) -> list[int]:
    """The indexes in parsed.groups of the groups a match needs (see required_units)."""
    groups = [index for index, g in enumerate(parsed.groups) if not all(c.is_negated for c in g)]
    if any(not all(map(_droppable, parsed.groups[index])) for index in groups):
        groups = [index for index in groups if not all(map(_droppable, parsed.groups[index]))]
    return groups


def _is_joinable(group: list[Clause]) -> bool:
    """One plain word of letters, no stop word: it may be half of a word typed apart."""
    clause = group[0]
    is_plain = clause.field is None and not (clause.is_phrase or clause.is_tag or clause.is_negated)
    return len(group) == 1 and is_plain and clause.text.isalpha() and not is_stop_word(clause.text)


def _joinable_pairs(parsed: ParsedQuery, required: list[int]) -> list[tuple[int, int]]:
    """Consecutive groups of the query, both required and joinable: (index, index + 1)."""
    return [(first, second) for first, second in zip(required, required[1:])
            if second == first + 1 and _is_joinable(parsed.groups[first]) and _is_joinable(parsed.groups[second])]


def _group_query(group: list[Clause], field_map: dict):
    queries = [q for c in group if not c.is_negated and (q := clause_query(c, field_map))]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def highlight_terms(parsed: ParsedQuery) -> dict[str, set[str]]:
    """Per analysis chain, the terms whose occurrences deserve a <mark>, joined forms included."""
    terms: dict[str, set[str]] = {"fr": set(), "en": set(), "name": set()}
    for text in _searched_texts(parsed):
        for chain in terms:
            terms[chain].update(term for term, _ in terms_for(text, chain))
    return terms


def _searched_texts(parsed: ParsedQuery) -> list[str]:
    """The positive clauses' texts (stop words left out when there are others), each hyphenated
    word's joined form, and those of consecutive words."""
    clauses = parsed.positive_clauses()
    texts = [c.text for c in clauses if not (_droppable(c) and len(clauses) > 1)]
    texts += [joined for c in clauses if not c.is_phrase and (joined := joined_query_form(c.text))]
    pairs = _joinable_pairs(parsed, _required_groups(parsed))[:MAX_JOINED_PAIRS]
    return texts + [parsed.groups[first][0].text + parsed.groups[second][0].text for first, second in pairs]


def plain_words(parsed: ParsedQuery) -> list[Clause]:
    """Clauses that are single plain words (the ones a spelling correction may change)."""
    return [c for c in parsed.positive_clauses() if c.field is None and not c.is_phrase and not c.is_tag]


def query_text(parsed: ParsedQuery, replacements: dict[str, str]) -> str:
    """The query written back as text, with some words replaced (for "did you mean")."""
    groups = []
    for group in parsed.groups:
        groups.append(" OR ".join(_clause_text(c, replacements) for c in group))
    return " ".join(groups)


def _clause_text(clause: Clause, replacements: dict[str, str]) -> str:
    text = replacements.get(clause.text, clause.text)
    text = f'"{text}"' if clause.is_phrase else f"#{text}" if clause.is_tag and not clause.field else text
    prefix = f"{clause.field}:" if clause.field else ""
    return f"{'-' if clause.is_negated else ''}{prefix}{text}"
