"""The schema fingerprint: a digest of what the index's fields are and how their text is analysed.

Each generation records the fingerprint of the code that built it (writer.py). A live generation
whose fingerprint differs from the code's, or that records none (built before generations recorded
one), is stale: its fields or its terms are not the ones the queries look for, and only a rebuild
brings it up to date (the webapp's writer rebuilds it by itself).

The digest is computed, not kept by hand: it is the SHA-256 of a canonical description of
`build_schema()` (every field's name, its type and its settings: format, column, analyzer chain with
each step's settings, recursively), of the analysis settings that live in module constants (token
patterns, ligatures, stop words), of the Unicode tables folding relies on and of the whoosh3 release
(its Snowball stemmers). The description is made of names and values only, never an address, an
id() or a hash(), and sets and dicts are sorted: the same code gives the same digest in every
process, on every run. Caches are left out. What `document_fields` puts into a field is code, not
data: `FIELDS_REVISION` (schema.py) is the one hand-kept part, bumped when that changes alone.
"""
import hashlib
import json
import re
import struct
import types
import unicodedata
from functools import cache
from importlib.metadata import version

from . import analysis, schema

FINGERPRINT_SCHEME = 1  # the layout of the description below


@cache
def schema_fingerprint() -> str:
    """This code's fingerprint (hex SHA-256); computed once per process."""
    return hashlib.sha256(canonical_json(schema_description()).encode("ascii")).hexdigest()


def schema_description() -> dict:
    """Everything the fingerprint covers, as plain JSON-able values."""
    return {
        "scheme": FINGERPRINT_SCHEME,
        "fields": [[name, describe(field)] for name, field in sorted(schema.build_schema().items())],
        "analysis": describe({
            "token_pattern": analysis.TOKEN_PATTERN, "part_pattern": analysis.PART_PATTERN,
            "elision_pattern": analysis.ELISION_PATTERN, "possessive_pattern": analysis.POSSESSIVE_PATTERN,
            "compound_chars": analysis.COMPOUND_CHARS, "joinable_pattern": analysis.JOINABLE_PATTERN,
            "ligatures": analysis.LIGATURES,
            "stop_words": analysis.STOP_WORDS, "unicode": unicodedata.unidata_version,
            "whoosh3": version("whoosh3"),
        }),
        "documents": describe({
            "revision": schema.FIELDS_REVISION, "slide_separator": schema.SLIDE_SEPARATOR,
            "facet_separator": schema.FACET_SEPARATOR, "list_separator": schema.LIST_SEPARATOR,
            "facet_names": schema.FACET_NAMES,
        }),
    }


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


CALLABLES = (type, types.FunctionType, types.MethodType, types.BuiltinFunctionType)


def describe(value):
    """A deterministic, JSON-able description of a schema part: its class and settings, recursively."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, (list, tuple)):
        return [describe(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((describe(item) for item in value), key=canonical_json)
    if isinstance(value, dict):
        return sorted(([describe(key), describe(item)] for key, item in value.items()), key=canonical_json)
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": value.flags}
    if isinstance(value, struct.Struct):
        return {"struct": value.format}
    if isinstance(value, CALLABLES):
        return {"callable": qualified_name(value)}
    return {"class": qualified_name(type(value)), "settings": describe(_settings(value))}


def qualified_name(value) -> str:
    return f"{getattr(value, '__module__', None) or '?'}.{value.__qualname__}"


def _settings(value) -> dict:
    """An object's attributes, without its caches (what it has computed so far is no setting)."""
    return {name: item for name, item in getattr(value, "__dict__", {}).items() if "cache" not in name}
