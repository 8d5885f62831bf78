"""The <meta> tags that reference managers read on a page: Highwire Press `citation_*` (Zotero,
Google Scholar) and Dublin Core `DC.*` (with <link rel="schema.DC">), as (name, content) pairs."""
from datetime import date

from webapp.catalogue.citation.records import CitableEvent, CitableTalk

DC_SCHEMA = "http://purl.org/dc/elements/1.1/"


def _slashed(day: date | None) -> str | None:
    return day.strftime("%Y/%m/%d") if day else None


def _pairs(*groups) -> list[tuple[str, str]]:
    """Flattens (name, value or list of values) into pairs, leaving out empty values."""
    pairs = []
    for name, value in groups:
        for one in value if isinstance(value, (list, tuple)) else [value]:
            if one:
                pairs.append((name, one))
    return pairs


def talk_meta_tags(talk: CitableTalk) -> list[tuple[str, str]]:
    return _pairs(
        ("citation_title", talk.title),
        ("citation_author", [name.inverted for name in talk.authors]),
        ("citation_publication_date", _slashed(talk.day)),
        ("citation_date", _slashed(talk.day)),
        ("citation_conference_title", talk.event.title),
        ("citation_publisher", talk.publisher),
        ("citation_language", talk.language),
        ("citation_keywords", "; ".join(talk.keywords)),
        ("citation_pdf_url", talk.pdf_url),
        ("citation_abstract_html_url", talk.url),
        ("citation_public_url", talk.url),
        ("DC.title", talk.title),
        ("DC.creator", [name.inverted for name in talk.authors]),
        ("DC.date", talk.day and talk.day.isoformat()),
        ("DC.language", talk.language),
        ("DC.subject", list(talk.keywords)),
        ("DC.description", talk.abstract),
        ("DC.publisher", talk.publisher),
        ("DC.identifier", talk.url),
        ("DC.rights", talk.licence_url or talk.licence),
        ("DC.type", "Text"),
        ("DC.relation", talk.event.url),
    )


def event_meta_tags(event: CitableEvent, publisher: str) -> list[tuple[str, str]]:
    return _pairs(
        ("citation_title", event.title),
        ("citation_conference_title", event.title),
        ("citation_publication_date", _slashed(event.start)),
        ("citation_date", _slashed(event.start)),
        ("citation_publisher", event.organiser),
        ("citation_keywords", "; ".join(event.keywords)),
        ("citation_abstract_html_url", event.url),
        ("citation_public_url", event.url),
        ("DC.title", event.title),
        ("DC.creator", event.organiser),
        ("DC.date", _iso_span(event.start, event.end)),
        ("DC.coverage", event.place),
        ("DC.subject", list(event.keywords)),
        ("DC.description", event.description),
        ("DC.publisher", publisher),
        ("DC.identifier", event.url),
        ("DC.type", "Event"),
    )


def _iso_span(start: date | None, end: date | None) -> str | None:
    """'2016-10-05', or '2016-10-05/2016-10-06' for several days (ISO 8601 interval)."""
    if start is None:
        return None
    return f"{start.isoformat()}/{end.isoformat()}" if end and end != start else start.isoformat()
