"""The Whoosh schema and the translation of contract documents (plain dicts) into its fields.

Text is indexed twice where the language is unknown: `<field>_fr` through the French chain and
`<field>_en` through the English one; a document in a known language fills only its own set.
Tags and the event's text (title, place, host) are in no known language: always indexed twice,
so that 'fablab' finds '#fablabs' and 'Rencontre des fablabs' as the talk's own text does.
The spelling dictionary (`spell`, words as written) is fed by titles, names, tags and event
titles only: summaries would make it a quarter of all postings; their words still count as
known through the stemmed summary fields (engine.corrected_word).
Slide decks are one text field per language plus a stored page map (char offset -> page), so a
hit inside the slides can name its page without one document per page.
"""
import json
from datetime import date

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, Schema

from .analysis import english_analyzer, french_analyzer, name_analyzer, spelling_analyzer
from .fields import FastText, PairField, date_field

LANGUAGES = ("fr", "en")
BILINGUAL_FIELDS = ("title", "summary", "sections", "slides")
LABEL_FIELDS = ("tags_text", "event_text")  # always in both languages (see above)
SLIDE_SEPARATOR = "\n\n"
FACET_SEPARATOR = "\x1e"
LIST_SEPARATOR = "\x1f"
FACET_NAMES = ("tag", "event", "year", "speaker", "language", "has_slides")
# Part of the schema fingerprint (fingerprint.py), which follows the fields and analyzers by itself:
# bump this when talk_fields/speaker_fields change what goes into a field while the schema stays
# the same, so that indexes built before are rebuilt.
FIELDS_REVISION = 1
PAIR_SOURCES = ("speakers", *(f"{field}_{lang}" for field in (*BILINGUAL_FIELDS, *LABEL_FIELDS)
                                for lang in LANGUAGES))


def build_schema() -> Schema:
    fr, en, names = french_analyzer(), english_analyzer(), name_analyzer()
    text_fields = {}
    for field in (*BILINGUAL_FIELDS, *LABEL_FIELDS):
        text_fields[f"{field}_fr"] = FastText(analyzer=fr)
        text_fields[f"{field}_en"] = FastText(analyzer=en)
    text_fields.update(speakers=FastText(analyzer=names))
    pairs = PairField({name: text_fields[name].analyzer for name in PAIR_SOURCES})
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        type=ID(stored=True),
        slug=ID(stored=True),
        version=ID(sortable=True),
        pairs=pairs,
        title_words=FastText(analyzer=names, phrase=False),
        spell=FastText(analyzer=spelling_analyzer(), phrase=False),
        tag=KEYWORD(commas=True),
        event_slug=ID,
        year=ID,
        speaker_slug=KEYWORD(commas=True),
        language=ID,
        has_slides=ID,
        date=date_field(),
        facets=COLUMN(columns.VarBytesColumn()),
        data=STORED,
        **text_fields,
    )


def _join(values) -> str:
    return ",".join(v for v in values if v)


def _languages(language: str | None) -> tuple[str, ...]:
    return (language,) if language in LANGUAGES else LANGUAGES


def _bilingual(language: str | None, **texts: str) -> dict:
    return {f"{name}_{lang}": text for name, text in texts.items() if text for lang in _languages(language)}


def slide_text_and_map(slides) -> tuple[str, list[list[int]]]:
    """All pages joined, and [[start char, page number], ...] to find a match's page."""
    parts, page_map, offset = [], [], 0
    for slide in slides or ():
        text = (slide.get("text") or "").strip()
        if text:
            page_map.append([offset, int(slide["page"])])
            parts.append(text)
            offset += len(text) + len(SLIDE_SEPARATOR)
    return SLIDE_SEPARATOR.join(parts), page_map


def _facet_blob(doc: dict, talk_date: date | None) -> bytes:
    values = (
        LIST_SEPARATOR.join(doc.get("tags") or ()),
        doc.get("event_slug") or "",
        str(talk_date.year) if talk_date else "",
        LIST_SEPARATOR.join(doc.get("speaker_slugs") or ()),
        doc.get("language") or "",
        "true" if doc.get("has_slides") else "false",
        str(talk_date.toordinal()) if talk_date else "0",
    )
    return FACET_SEPARATOR.join(values).encode("utf-8")


def talk_fields(doc: dict) -> dict:
    """Whoosh fields for a talk document of the contract."""
    talk_date, language = doc.get("date"), doc.get("language")
    slides_text, page_map = slide_text_and_map(doc.get("slides"))
    title, summary, sections = doc.get("title") or "", doc.get("summary") or "", doc.get("sections") or ""
    tags, speakers = list(doc.get("tags") or ()), list(doc.get("speakers") or ())
    stored = {"title": title, "summary": summary, "sections": sections, "slides": slides_text,
              "slide_map": page_map, "language": language}
    return {
        **_bilingual(language, title=title, summary=summary, sections=sections, slides=slides_text),
        **_bilingual(None, tags_text=" ".join(tags), event_text=doc.get("event") or ""),
        "type": "talk", "slug": doc.get("slug") or "", "speakers": "\n".join(speakers),
        "title_words": title,
        "spell": "\n".join([title, *speakers, *tags, doc.get("event") or ""]),
        "tag": _join(tags), "event_slug": doc.get("event_slug") or "",
        "year": str(talk_date.year) if talk_date else "", "speaker_slug": _join(doc.get("speaker_slugs") or ()),
        "language": language or "", "has_slides": "true" if doc.get("has_slides") else "false",
        "date": talk_date.toordinal() if talk_date else 0,
        "facets": _facet_blob(doc, talk_date), "data": json.dumps(stored, ensure_ascii=False),
    }


def speaker_fields(doc: dict) -> dict:
    """Whoosh fields for a speaker document of the contract."""
    names = [doc.get("name") or "", *(doc.get("aliases") or ())]
    about = "\n".join(filter(None, (doc.get("headline"), doc.get("organisation"), doc.get("bio"))))
    stored = {"name": doc.get("name") or "", "headline": doc.get("headline") or ""}
    return {
        **_bilingual(None, summary=about),
        "type": "speaker", "slug": doc.get("slug") or "", "speakers": "\n".join(filter(None, names)),
        "spell": "\n".join(filter(None, [*names, doc.get("headline"), doc.get("organisation")])),
        "data": json.dumps(stored, ensure_ascii=False),
    }


def document_fields(doc: dict) -> dict:
    """Whoosh fields for any contract document; ValueError for a malformed one."""
    doc_id, doc_type = doc.get("id"), doc.get("type")
    if not isinstance(doc_id, str) or not doc_id.startswith(f"{doc_type}:"):
        raise ValueError(f"document id {doc_id!r} does not match its type {doc_type!r}")
    builder = {"talk": talk_fields, "speaker": speaker_fields}.get(doc_type)
    if builder is None:
        raise ValueError(f"unknown document type {doc_type!r}")
    fields = builder(doc)
    pairs = {name: fields[name] for name in PAIR_SOURCES if fields.get(name)}
    return {**fields, "pairs": pairs, "id": doc_id, "version": str(doc.get("version") or "")}
