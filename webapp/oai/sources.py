"""What an OAI record shows of a talk, as plain JSON values (stored in oai_records.source).

Only values taken from the talk's rows go here, never URLs nor settings: the digest of a source
changes exactly when what the record shows changes (title, summary, speakers, tags, deck, event...),
and the XML is built from it with SITE_URL at answer time (dublin_core.py).
"""
import hashlib
import json
import re

from webapp.models import SlideDeck, Talk
from webapp.sanitize import strip_tags

# XML 1.0 allows these characters only; user text loses the others (control characters, lone
# surrogates, U+FFFE/U+FFFF).
_ILLEGAL_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# setSpec characters (OAI-PMH.xsd's setSpecType); any other one is written ~XX per UTF-8 byte. A
# tag name never holds "~", so the spelling is unambiguous.
_SET_SPEC_CHARACTER = re.compile(r"[A-Za-z0-9\-_.!*'()]")


def xml_text(value) -> str:
    return _ILLEGAL_IN_XML.sub("", str(value)) if value is not None else ""


def set_spec_part(name: str) -> str:
    return "".join(c if _SET_SPEC_CHARACTER.fullmatch(c) else "".join(f"~{b:02X}" for b in c.encode())
                   for c in name)


def event_set_spec(slug: str) -> str:
    return f"event:{set_spec_part(slug)}"


def tag_set_spec(name: str) -> str:
    return f"tag:{set_spec_part(name)}"


def _deck(deck: SlideDeck | None) -> dict | None:
    if deck is None:
        return None
    return {"id": deck.id, "name": xml_text(deck.original_name), "kind": str(deck.kind)}


def talk_source(talk: Talk, deck: SlideDeck | None) -> dict:
    """The record of a public talk, with its current ready slide deck (or None)."""
    event = talk.event
    day = talk.given_on or event.start_date
    return {
        "slug": talk.slug, "title": xml_text(talk.title), "description": xml_text(strip_tags(talk.summary)),
        "language": talk.language, "licence": talk.licence, "video_url": xml_text(talk.video_url) or None,
        "date": day.isoformat() if day else None,
        "creators": [xml_text(speaker.name) for speaker in talk.speakers],
        "subjects": [xml_text(tag.name) for tag in talk.tags],
        "event": {"slug": event.slug, "title": xml_text(event.title), "place": xml_text(event.place) or None,
                  "publisher": xml_text(event.host_organisation) or None},
        "deck": _deck(deck),
    }


def set_specs(talk: Talk) -> list[str]:
    return [event_set_spec(talk.event.slug), *(tag_set_spec(tag.name) for tag in talk.tags)]


def digest(source: dict) -> str:
    return hashlib.sha256(json.dumps(source, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
