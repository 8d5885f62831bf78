"""The Whoosh schema and the translation of contract documents (plain dicts) into its fields.

Text is indexed twice where the language is unknown: `<field>_fr` through the French chain and
`<field>_en` through the English one; a document in a known language fills only its own set.
Tags and the event's text (title, place, host) are in no known language: always indexed twice,
so that 'fablab' finds '#fablabs' and 'Rencontre des fablabs' as the talk's own text does.
The spelling dictionary (`spell`, words as written) is fed by titles, names, tags and event
titles only: summaries would make it a quarter of all postings; their words still count as
known through the stemmed summary fields (engine.corrected_word).
Slide decks are one text field per language plus a stored page map (char offset -> page), so a
hit inside the slides can name its page without one document per page. Transcripts likewise:
each is indexed in its own language's field (both when its language is neither), with a stored
cue map (char offset -> second of the talk), so a hit inside a transcript names its moment.
"""
import json
from datetime import date

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, Schema

from .analysis import english_analyzer, french_analyzer, name_analyzer, spelling_analyzer
from .fields import FastText, PairField, date_field

LANGUAGES = ("fr", "en")
BILINGUAL_FIELDS = ("title", "summary", "sections", "slides", "transcript")
LABEL_FIELDS = ("tags_text", "event_text")  # always in both languages (see above)
SLIDE_SEPARATOR = "\n\n"
FACET_SEPARATOR = "\x1e"
LIST_SEPARATOR = "\x1f"
FACET_NAMES = ("tag", "event", "year", "speaker", "language", "has_slides", "has_transcript")
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
        has_transcript=ID,
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


def transcript_texts(transcripts) -> tuple[str, list[list[int]], dict[str, str]]:
    """Every cue of every transcript joined (one cue a line), [[start char, second], ...] to find a
    match's moment, and the text to index per analysis chain (a transcript in its own language's
    chain; in both when its language is neither)."""
    lines, cue_map, offset, by_chain = [], [], 0, {lang: [] for lang in LANGUAGES}
    for transcript in transcripts or ():
        texts = []
        for cue in transcript.get("cues") or ():
            text = " ".join((cue.get("text") or "").split())
            if text:
                cue_map.append([offset, int(cue.get("start") or 0)])
                texts.append(text)
                offset += len(text) + 1
        lines += texts
        for lang in _languages(transcript.get("language")):
            by_chain[lang] += texts
    return "\n".join(lines), cue_map, {lang: "\n".join(texts) for lang, texts in by_chain.items() if texts}


def _facet_blob(doc: dict, talk_date: date | None) -> bytes:
    values = (
        LIST_SEPARATOR.join(doc.get("tags") or ()),
        doc.get("event_slug") or "",
        str(talk_date.year) if talk_date else "",
        LIST_SEPARATOR.join(doc.get("speaker_slugs") or ()),
        doc.get("language") or "",
        "true" if doc.get("has_slides") else "false",
        "true" if doc.get("has_transcript") else "false",
        str(talk_date.toordinal()) if talk_date else "0",
    )
    return FACET_SEPARATOR.join(values).encode("utf-8")


def talk_fields(doc: dict) -> dict:
    """Whoosh fields for a talk document of the contract."""
    talk_date, language = doc.get("date"), doc.get("language")
    slides_text, page_map = slide_text_and_map(doc.get("slides"))
    transcript_text, cue_map, transcript_by_chain = transcript_texts(doc.get("transcripts"))
    title, summary, sections = doc.get("title") or "", doc.get("summary") or "", doc.get("sections") or ""
    tags, speakers = list(doc.get("tags") or ()), list(doc.get("speakers") or ())
    stored = {"title": title, "summary": summary, "sections": sections, "slides": slides_text,
              "slide_map": page_map, "transcript": transcript_text, "cue_map": cue_map, "language": language}
    return {
        **_bilingual(language, title=title, summary=summary, sections=sections, slides=slides_text),
        **_bilingual(None, tags_text=" ".join(tags), event_text=doc.get("event") or ""),
        **{f"transcript_{lang}": text for lang, text in transcript_by_chain.items()},
        "type": "talk", "slug": doc.get("slug") or "", "speakers": "\n".join(speakers),
        "title_words": title,
        "spell": "\n".join([title, *speakers, *tags, doc.get("event") or ""]),
        "tag": _join(tags), "event_slug": doc.get("event_slug") or "",
        "year": str(talk_date.year) if talk_date else "", "speaker_slug": _join(doc.get("speaker_slugs") or ()),
        "language": language or "", "has_slides": "true" if doc.get("has_slides") else "false",
        "has_transcript": "true" if doc.get("has_transcript") else "false",
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
