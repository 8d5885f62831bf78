"""The one place that touches citeproc-py's private parts (HOUSE.md rule 9).

citeproc-py finds the macros, terms, locales and ancestors it needs with XPath, from the elements
of the parsed style: `CitationStylesElement.xpath_search(expression)`, about 130 times for one
reference. Each call compiles its expression again and walks the tree again, although a parsed
style never changes once its first reference is rendered. That was 40 to 55% of the time of the
references (the two of a French talk page: 4.7 ms, 2.9 through the fence; of an English one:
12.4 ms, 5.4 through the fence; the same text for 300 talks).

Here each (element, expression) is answered once per process, from a compiled expression, and
the answer kept: a list of elements of the same tree, which the cache keeps alive, so lxml gives
back the same element objects (and whatever citeproc-py keeps on them) every time. The one
change citeproc-py makes to a style, a default <name> added under a <names> that has none, adds a
child that none of its expressions looks for. A style is 400 to 1,500 elements, so the cache stays
small; it is bounded anyway. References are rendered one at a time (references.py holds a lock).

Written and verified against citeproc-py VERIFIED_VERSION; on any other version nothing is
replaced (a warning is logged), and references come from citeproc-py as it is, more slowly.
tests/catalogue/test_citeproc_fence.py checks the replaced method byte for byte and that the
references are the same with and without the fence.
"""
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import version

from citeproc import model
from lxml import etree

VERIFIED_VERSION = "0.11.1"
INSTALLED_VERSION = version("citeproc-py")
ORIGINAL_XPATH_SEARCH = model.CitationStylesElement.xpath_search
ANSWERS_KEPT = 20_000  # (element, expression) pairs; four styles ask about 300 of them

log = logging.getLogger(__name__)


@lru_cache(maxsize=256)
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression, namespaces=model.SomewhatObjectifiedElement.nsmap)


@lru_cache(maxsize=ANSWERS_KEPT)
def _answer(element, expression: str) -> tuple:
    return tuple(_compiled(expression)(element))


def kept_xpath_search(self, expression: str) -> list:
    """citeproc-py's xpath_search, answered once per element and expression (a fresh list each call)."""
    return list(_answer(self, expression))


def install() -> bool:
    """Replace xpath_search on the verified version; True when it was replaced."""
    if INSTALLED_VERSION != VERIFIED_VERSION:
        log.warning("citeproc-py %s is not the verified %s: references are formatted without the "
                    "XPath cache, more slowly", INSTALLED_VERSION, VERIFIED_VERSION)
        return False
    model.CitationStylesElement.xpath_search = kept_xpath_search
    return True


@contextmanager
def citeproc_as_released() -> Iterator[None]:
    """citeproc-py's own xpath_search for the duration (tests compare the two)."""
    replaced = model.CitationStylesElement.xpath_search
    model.CitationStylesElement.xpath_search = ORIGINAL_XPATH_SEARCH
    try:
        yield
    finally:
        model.CitationStylesElement.xpath_search = replaced


INSTALLED = install()
