"""Text analysis: one chain for French, one for English, one for names and tags.

Every chain splits text the same way (:class:`CompoundTokenizer`), folds case, accents and
ligatures BEFORE stemming (so "mediatheques" and "Médiathèques" give the same stem), and keeps
stop words in the index so that exact phrases still match; the query builder decides which
stop words to drop (see :func:`is_stop_word`).

Compound words ("Levallois-Perret", "R&D", "C++", "node.js") are indexed whole AND by their
parts: the whole token shares the position of its first part, the parts follow each other, so
both "levallois-perret", "levallois perret" (as a phrase) and "perret" find them. A hyphenated
word of letters is also indexed joined, as Elasticsearch's `catenate_words` does, on the position
of its first part: "micro-services" gives "microservices" too, stemmed as any plain word, so that
the query "microservices" finds it (the query side joins words in query.py).
"""
import re
import unicodedata
from collections.abc import Callable, Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.lang import stemmer_for_language, stopwords_for_language

TOKEN_PATTERN = re.compile(r"\w+(?:(?:[-&./'’]|\+(?=\w))\w+)*(?:\+\+|\+|#)?")
PART_PATTERN = re.compile(r"[^\W_]+")
ELISION_PATTERN = re.compile(r"(?:jusqu|lorsqu|puisqu|quoiqu|presqu|qu|[ldjmnstc])['’](?=\w)", re.IGNORECASE)
POSSESSIVE_PATTERN = re.compile(r"['’]s$", re.IGNORECASE)
COMPOUND_CHARS = re.compile(r"[^\w]|_")
JOINABLE_PATTERN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")  # hyphenated letters: indexed joined too
CACHE_SIZE = 300_000
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl"})


def fold(text: str) -> str:
    """Lower case without accents or ligatures: 'Œuvre Médiathèque' -> 'oeuvre mediatheque'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def strip_elision(word: str) -> str:
    """"l'économie" -> "économie", "jusqu’ici" -> "ici"; other words unchanged."""
    match = ELISION_PATTERN.match(word)
    return word[match.end():] if match else word


EXTRA_STOP_WORDS = ("les", "cette", "cet", "comme", "dont", "ici", "leurs", "ni", "or", "donc", "car", "si", "tout",
                    "tous", "toute", "toutes", "plus", "très", "sans", "sous", "entre", "vers", "chez")
STOP_WORDS = frozenset(fold(w) for lang in ("fr", "en") for w in (*stopwords_for_language(lang), *EXTRA_STOP_WORDS))


def is_stop_word(word: str) -> bool:
    """True for French and English stop words, with or without accents or elision."""
    return fold(strip_elision(word)).strip("'’") in STOP_WORDS


def _is_strong_part(part: str) -> bool:
    return len(part) > 1 and not part.isdigit()


def split_compound(word: str) -> list[str]:
    """The parts of a compound word: 'Levallois-Perret' -> ['Levallois', 'Perret']."""
    return PART_PATTERN.findall(word)


def joined_form(word: str) -> str | None:
    """A hyphenated word of letters without its hyphens ('micro-services' -> 'microservices'), else None."""
    return word.replace("-", "") if JOINABLE_PATTERN.fullmatch(word) else None


def joined_query_form(text: str) -> str | None:
    """The joined form of a query word that is one hyphenated word of letters once its elision is
    stripped ("l'auto-hébergement" -> "autohébergement"), else None."""
    words = words_of(text)
    return joined_form(_trimmed(words[0], 0)[0]) if len(words) == 1 else None


def query_forms(word: str) -> list[str]:
    """How a query word is looked up: by its parts when they are real words, else whole.

    'Levallois-Perret' -> ['Levallois', 'Perret'] (found hyphenated or not); 'C++', 'R&D',
    '3.14' -> themselves (their parts alone would find everything).
    """
    parts = split_compound(word)
    if len(parts) > 1 and word[-1].isalnum() and "&" not in word and all(map(_is_strong_part, parts)):
        return parts
    return [word]


class CompoundTokenizer(Tokenizer):
    """Words, with French elisions and English possessives removed; compounds whole and split."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield from _emit(token, value, start_pos, start_char, start_char + len(value), keeporiginal)
            return
        pos = start_pos
        for match in TOKEN_PATTERN.finditer(value):
            if match.group(0).isalnum():  # a plain word: most of any text
                yield from _emit(token, match.group(0), pos, start_char + match.start(),
                                 start_char + match.end(), keeporiginal)
                pos += 1
                continue
            word, start = _trimmed(match.group(0), start_char + match.start())
            for text, begin, end, offset in _word_forms(word, start, mode):
                yield from _emit(token, text, pos + offset, begin, end, keeporiginal)
            pos += len(query_forms(word))


def _trimmed(word: str, start: int) -> tuple[str, int]:
    """The word without elision nor possessive, and where it now starts."""
    stripped = strip_elision(word)
    start += len(word) - len(stripped)
    return POSSESSIVE_PATTERN.sub("", stripped) or stripped, start


def _word_forms(word: str, start: int, mode: str) -> Iterator[tuple[str, int, int, int]]:
    """(text, start char, end char, position offset) of each token CompoundTokenizer emits for one word.

    Positions agree between index and query: a compound searched by its parts spreads them
    over consecutive positions (its whole form sits on the first); one searched whole keeps
    its parts on its own position. The index's joined form of a hyphenated word sits on the first
    part's position too and spans the whole word's characters (the query joins words in query.py).
    """
    spread = len(query_forms(word)) > 1
    end = start + len(word)
    if mode != "query" or not spread:
        yield word, start, end, 0
    if not COMPOUND_CHARS.search(word) or (mode == "query" and not spread):
        return
    if mode != "query" and (joined := joined_form(word)):
        yield joined, start, end, 0
    for offset, part in enumerate(PART_PATTERN.finditer(word)):
        yield part.group(0), start + part.start(), start + part.end(), offset if spread else 0


def _emit(token: Token, text: str, pos: int, startchar: int, endchar: int, keeporiginal: bool):
    token.text = text
    token.boost = 1.0
    token.stopped = False
    if keeporiginal:
        token.original = text
    if token.positions:
        token.pos = pos
    if token.chars:
        token.startchar, token.endchar = startchar, endchar
    yield token


def words_of(text: str) -> list[str]:
    """TOKEN_PATTERN.findall(text), with the pattern run only on the chunks between spaces that are
    not a plain word (a token never holds a space; most chunks are plain words)."""
    found: list[str] = []
    for chunk in text.split():
        if chunk.isalnum():
            found.append(chunk)
        else:
            found.extend(TOKEN_PATTERN.findall(chunk))
    return found


def term_positions(text: str, term: Callable[[str], str]) -> dict[str, list[int]]:
    """{term: [positions]} exactly as CompoundTokenizer then `term` index a text, in one pass.

    The indexing fast path (see fields.py): no Token objects, no generators per word; a chunk
    between spaces that is a plain word is a token as it is (see words_of).
    """
    positions: dict[str, list[int]] = {}
    known = getattr(getattr(term, "__self__", None), "term_cache", {}).get  # term()'s own cache, without the call
    pos = 0
    for chunk in text.split():
        if not chunk.isalnum():
            pos = _place_tokens(positions, TOKEN_PATTERN.findall(chunk), pos, term)
            continue
        found = known(chunk) or term(chunk)
        places = positions.get(found)
        if places is None:
            positions[found] = [pos]
        else:
            places.append(pos)
        pos += 1
    return positions


def _place_tokens(positions: dict[str, list[int]], words: list[str], pos: int, term) -> int:
    """term_positions() for the tokens of a chunk that is not a plain word; the next position."""
    for word in words:
        if word.isalnum():
            positions.setdefault(term(word), []).append(pos)
            pos += 1
            continue
        word, _ = _trimmed(word, 0)
        for form, _, _, offset in _word_forms(word, 0, "index"):
            positions.setdefault(term(form), []).append(pos + offset)
        pos += len(query_forms(word))
    return pos


def matching_spans(text: str, term: Callable[[str], str], wanted: set[str]) -> list[tuple[int, int]]:
    """(start, end) characters of the tokens CompoundTokenizer then `term` turn into wanted terms.

    Each distinct word is analysed once; the text is only walked when some word matches."""
    distinct = set(words_of(text))
    plain = {word for word in distinct if word.isalnum() and term(word) in wanted}
    compounds = {word for word in distinct if not word.isalnum() and _compound_matches(word, term, wanted)}
    if not plain and not compounds:
        return []
    spans = []
    for match in TOKEN_PATTERN.finditer(text):
        word = match.group()
        if word in plain:
            spans.append(match.span())
        elif word in compounds:
            trimmed, start = _trimmed(word, match.start())
            forms = _word_forms(trimmed, start, "index")
            spans.extend((begin, end) for form, begin, end, _ in forms if term(form) in wanted)
    return spans


def _compound_matches(word: str, term: Callable[[str], str], wanted: set[str]) -> bool:
    trimmed, _ = _trimmed(word, 0)
    return any(term(form) in wanted for form, _, _, _ in _word_forms(trimmed, 0, "index"))


class CachedTermFilter(Filter):
    """A filter that maps each token text to one term, cached per word (text is mostly the
    same few thousand words over and over). Subclasses give compute(text) and set term_cache
    (a public name: a Whoosh Filter subclass leaves Whoosh's private names alone)."""

    def compute(self, text: str) -> str:
        raise NotImplementedError

    def term(self, text: str) -> str:
        term = self.term_cache.get(text)
        if term is None:
            term = self.compute(text)
            if len(self.term_cache) < CACHE_SIZE:
                self.term_cache[text] = term
        return term

    def __call__(self, tokens):
        term = self.term
        for token in tokens:
            token.text = term(token.text)
            yield token


class TermFilter(CachedTermFilter):
    """Folds case, accents and ligatures, then stems plain words with Snowball (lang "fr" or
    "en"; None: no stemming). Compounds such as 'c++' or 'r&d' are never stemmed. Results are
    cached per word: text is mostly the same few thousand words over and over.
    """

    is_morph = True

    def __init__(self, lang: str | None = None):
        self.lang = lang
        self.is_morph = lang is not None
        self.stemmer = stemmer_for_language(lang) if lang else None
        self.term_cache: dict[str, str] = {}

    def __getstate__(self):
        return {"lang": self.lang}

    def __setstate__(self, state):
        self.__init__(state["lang"])

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lang == other.lang

    def compute(self, text: str) -> str:
        term = fold(text)
        if self.stemmer and not COMPOUND_CHARS.search(term) and not term.isdigit():
            term = self.stemmer(term)
        return term


class CaseFilter(CachedTermFilter):
    """Case folded only (accents kept): the spelling dictionary shows words as written."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __init__(self):
        self.term_cache: dict[str, str] = {}

    def __getstate__(self):
        return {"cache": "rebuilt on load"}  # a true value, or __setstate__ is skipped

    def __setstate__(self, state):
        self.__init__()

    def compute(self, text: str) -> str:
        return unicodedata.normalize("NFC", text.translate(LIGATURES)).casefold()


def french_analyzer():
    """French: elisions stripped, folded, Snowball French stems."""
    return CompoundTokenizer() | TermFilter("fr")


def english_analyzer():
    """English: possessives stripped, folded, Snowball English (Porter 2) stems."""
    return CompoundTokenizer() | TermFilter("en")


def name_analyzer():
    """Names, tags, event titles, completion: folded words, never stemmed."""
    return CompoundTokenizer() | TermFilter(None)


def spelling_analyzer():
    """The spelling dictionary: lower-case words with their accents, never stemmed."""
    return CompoundTokenizer() | CaseFilter()


ANALYZERS = {"fr": french_analyzer(), "en": english_analyzer(), "name": name_analyzer()}


def analyze(text: str, chain: str = "fr", mode: str = "query") -> list[str]:
    """The terms a chain ("fr", "en" or "name") makes of a text."""
    return [token.text for token in ANALYZERS[chain](text, mode=mode)]
