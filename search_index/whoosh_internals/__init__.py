"""The one place where search_index touches whoosh3's private parts (HOUSE.md rule 9).

The fast paths of this package read and write Whoosh's on-disk structures directly:

    bulk.py                      rebuild: postings gathered in arrays, segment files written a block
                                 at a time (byte for byte what Whoosh's SegmentWriter writes)
    rebuild.py                   those writers run in this process or in worker processes; many
                                 upserts into a live index go through them too (new segments)
    blocks.py                    a term's postings read a whole block at a time (matching, scoring)
    scoring.py                   BM25F of every match computed a block at a time, field lengths
                                 read from Whoosh's length columns in one go
    phrases.py                   phrase candidates from the pair field, word postings read only in
                                 the blocks that hold a candidate
    encoding.py                  posting values encoded as Whoosh's formats encode them
    codec.py                     the postings layout they read fastest (WRITER_CODEC_OPTIONS)

They were written and verified against whoosh3 VERIFIED_VERSION. At import the installed whoosh3
is compared with it: on any other version, or with SEARCH_INDEX_FORCE_PUBLIC_WHOOSH=1 in the
environment, FAST_PATH_AVAILABLE is False, those modules are not even imported, and search_index
uses Whoosh's public API only, slower (search_index/CONTRACT.md, "Fast path and public path").
Callers ask fast_path_enabled() at call time, which logs one warning per process on the public path.

Nothing in this package imports search_index outside it (but gc_pause.py, which imports nothing),
so importing it never makes a cycle: callers hand it what it needs (fields.FastText and
fields.PairField are recognised by their `positions()` and `pairs()` methods).
"""
import logging
import os
from functools import cache
from importlib.metadata import version

VERIFIED_VERSION = "3.54.0"  # bump only once tests/search_index/test_index_bulk.py passes byte for byte
FORCE_PUBLIC_ENV = "SEARCH_INDEX_FORCE_PUBLIC_WHOOSH"
INSTALLED_VERSION = version("whoosh3")

log = logging.getLogger(__name__)


def is_forced_public(environ=os.environ) -> bool:
    """True when the environment asks for the public path (any value but empty or "0")."""
    return environ.get(FORCE_PUBLIC_ENV, "").strip() not in ("", "0")


def public_path_environment(environ=os.environ) -> dict[str, str]:
    """A copy of `environ` that makes a child process use the public path (tests, benchmarks)."""
    return {**environ, FORCE_PUBLIC_ENV: "1"}


FORCED_PUBLIC = is_forced_public()
FAST_PATH_AVAILABLE = INSTALLED_VERSION == VERIFIED_VERSION and not FORCED_PUBLIC


def fast_path_enabled() -> bool:
    """Whether callers may use the fast paths of this package; on the public path, warns once."""
    if not FAST_PATH_AVAILABLE:
        _warn_public_path()
    return FAST_PATH_AVAILABLE


@cache
def _warn_public_path() -> None:
    reason = (f"{FORCE_PUBLIC_ENV} is set" if FORCED_PUBLIC
              else "the installed version differs from the verified one")
    log.warning("search_index uses Whoosh's public API only, slower: whoosh3 %s is installed, its fast paths "
                "were verified for whoosh3 %s (%s)", INSTALLED_VERSION, VERIFIED_VERSION, reason)


if FAST_PATH_AVAILABLE:
    from .blocks import term_docnums
    from .codec import WRITER_CODEC_OPTIONS
    from .encoding import value_encoder
    from .rebuild import fill_with_bulk_writers, replace_with_bulk_writers
    from .scoring import phrase_scores, term_scores

    __all__ = ["WRITER_CODEC_OPTIONS", "fill_with_bulk_writers", "phrase_scores", "replace_with_bulk_writers",
               "term_docnums", "term_scores", "value_encoder"]
else:
    WRITER_CODEC_OPTIONS = {}  # Whoosh's default codec: the public path reads through its matchers
