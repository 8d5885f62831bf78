"""The offline copy's search index: every public talk with its words, accents and case folded.

Written at export time as search-index.json (for any other use) and as search-index.js, the same
JSON assigned to window.CAUSERIES_SEARCH_INDEX: a page opened from file:// may load a script but
not fetch a file. webapp/static/js/offline_search.js folds the query the same way.
"""
import html
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import selectinload

from webapp.core.visibility import public_talks
from webapp.extensions import db
from webapp.models import REPORT_SECTIONS, Talk, TalkSpeaker

INDEX_JSON, INDEX_SCRIPT = "search-index.json", "search-index.js"
_TAG = re.compile(r"<[^>]+>")
_NOT_A_WORD = re.compile(r"[\W_]+")


def folded_words(text: str) -> list[str]:
    """Lower case, no accents ("Médiation" → "mediation"), split on anything not a letter or digit."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return [word for word in _NOT_A_WORD.split(plain.lower()) if word]


def _plain(markup: str | None) -> str:
    return html.unescape(_TAG.sub(" ", markup or ""))


def talk_entry(talk: Talk, talk_file: str) -> dict:
    speakers = ", ".join(speaker.name for speaker in talk.speakers)
    texts = [talk.title, talk.event.title, speakers, _plain(talk.summary)]
    texts += [tag.name for tag in talk.tags] + [_plain(getattr(talk, name)) for name in REPORT_SECTIONS]
    words = dict.fromkeys(word for text in texts for word in folded_words(text))
    return {"url": talk_file, "title": talk.title, "event": talk.event.title, "speakers": speakers,
            "tokens": " ".join(words)}


def write_search_index(root: Path, talk_file: Callable[[Talk], str]) -> int:
    """Streams the public talks into both files; returns how many."""
    query = (public_talks().order_by(Talk.id).execution_options(yield_per=500)
             .options(selectinload(Talk.event), selectinload(Talk.tags),
                      selectinload(Talk.speaker_links).selectinload(TalkSpeaker.speaker)))
    count = 0
    with open(root / INDEX_JSON, "w", encoding="utf-8") as data, \
            open(root / INDEX_SCRIPT, "w", encoding="utf-8") as script:
        data.write("[")
        script.write("window.CAUSERIES_SEARCH_INDEX = [")
        for talk in db.session.scalars(query):
            entry = ("," if count else "") + "\n" + json.dumps(talk_entry(talk, talk_file(talk)))
            data.write(entry)
            script.write(entry)
            count += 1
        data.write("\n]\n")
        script.write("\n];\n")
    return count
