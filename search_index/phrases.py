"""The pair terms a phrase's consecutive words make in the pair field (fields.PairField).

The `pairs` field holds, per document, every two consecutive terms of each text field, but the
pairs with a stop word, which are not indexed. The documents where a phrase can occur are those
holding all its pair terms: the fast path (whoosh_internals.scoring) checks positions only in
those. A phrase with no pair left ("de la") is matched by positions alone.
"""
from .fields import pair_term

PAIR_FIELD = "pairs"


def phrase_pairs(schema, fieldname: str, words) -> list[tuple[str, str]]:
    """The consecutive pairs of a phrase's terms that the index holds as pair terms: none if it
    has no pairs of this field (indexes before pairs) or every pair holds a skipped stop word."""
    field = schema[PAIR_FIELD] if PAIR_FIELD in schema else None
    if field is None or fieldname not in getattr(field, "sources", ()):
        return []
    skipped = field.skipped_terms(fieldname)
    return [(first, second) for first, second in zip(words, words[1:])
            if first not in skipped and second not in skipped]


def pair_terms(schema, fieldname: str, words) -> list[tuple[str, str]]:
    """(field, text) of the pair terms of phrase_pairs()."""
    pairs = phrase_pairs(schema, fieldname, words)
    return [(PAIR_FIELD, pair_term(fieldname, first, second)) for first, second in pairs]
