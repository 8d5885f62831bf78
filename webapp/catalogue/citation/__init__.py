"""How to cite talks: the citable fields computed once (records.py), and what is made of them:
meta tags for reference managers (meta_tags.py), RIS (ris.py, by rispy), CSL-JSON (csl.py),
BibTeX (bibtex.py), formatted references (references.py, by citeproc-py) and the downloads
(downloads.py). Licences are named by webapp/core/licences.py.
"""
from dataclasses import dataclass

from webapp.catalogue.citation.bibtex import bibtex_entry
from webapp.catalogue.citation.downloads import FORMATS
from webapp.catalogue.citation.meta_tags import DC_SCHEMA, event_meta_tags, talk_meta_tags
from webapp.catalogue.citation.records import CitableTalk, citable_event, citable_talk, talk_date
from webapp.catalogue.citation.references import FormattedReference, formatted_references

__all__ = ["DC_SCHEMA", "FORMATS", "TalkCitation", "citable_event", "citable_talk", "cite_talk",
           "event_meta_tags", "talk_date", "talk_meta_tags"]


@dataclass(frozen=True)
class TalkCitation:
    """What a talk page shows: the references, the BibTeX entry, the meta tags."""

    record: CitableTalk
    references: list[FormattedReference]
    bibtex: str
    meta_tags: list[tuple[str, str]]


def cite_talk(record: CitableTalk) -> TalkCitation:
    return TalkCitation(record=record, references=formatted_references(record),
                        bibtex=bibtex_entry(record), meta_tags=talk_meta_tags(record))
