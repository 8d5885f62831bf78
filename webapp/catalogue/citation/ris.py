"""RIS, written by rispy: one SLIDE record per talk (Zotero reads SLIDE as a presentation).

T2 holds the event (Zotero's "meeting name"), CY its place, L1 the PDF of the slides. Every value
is on one line (records.py), so nothing in a title can start a new tag.
"""
import rispy

from webapp.catalogue.citation.records import CitableTalk

RIS_TYPE = "SLIDE"


class PlainRisWriter(rispy.RisWriter):
    """rispy's writer without the "1." line it puts before each record (the documented hook)."""

    def set_header(self, count: int) -> str:
        return ""


def _date(talk: CitableTalk) -> dict:
    if talk.day is None:
        return {}
    return {"year": str(talk.day.year), "date": talk.day.strftime("%Y/%m/%d")}


def ris_record(talk: CitableTalk) -> dict:
    record = {
        "type_of_reference": RIS_TYPE,
        "id": talk.key,
        "title": talk.title,
        "authors": [name.inverted for name in talk.authors],
        **_date(talk),
        "secondary_title": talk.event.title,
        "place_published": talk.event.place,
        "publisher": talk.publisher,
        "language": talk.language,
        "keywords": list(talk.keywords),
        "abstract": talk.abstract,
        "urls": [talk.url],
        "file_attachments1": talk.pdf_url,
        "notes": [f"Licence: {talk.licence}"] if talk.licence else [],
    }
    return {name: value for name, value in record.items() if value}


def ris_file(talks: list[CitableTalk]) -> str:
    return rispy.dumps([ris_record(talk) for talk in talks], implementation=PlainRisWriter) if talks else ""
