"""CSL-JSON (the Citation Style Language's data format, read by Zotero, Pandoc and citeproc-py).

Each talk is a "speech": `event-title` names the event (and `event`, its CSL 1.0.1 name, which
citeproc-py and older readers know), `publisher-place` and `event-place` its place.
"""
import json

from flask_babel import gettext

from webapp.catalogue.citation.records import CitableTalk, PersonName

MEDIA_TYPE = "application/vnd.citationstyles.csl+json"


def csl_name(name: PersonName) -> dict:
    return _compact({"family": name.family, "given": name.given, "non-dropping-particle": name.particle})


def _compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def csl_item(talk: CitableTalk) -> dict:
    event = talk.event
    return _compact({
        "id": talk.key,
        "type": "speech",
        "title": talk.title,
        "author": [csl_name(name) for name in talk.authors],
        "issued": talk.day and {"date-parts": [[talk.day.year, talk.day.month, talk.day.day]]},
        "genre": gettext("Conference presentation"),
        "event-title": event.title,
        "event": event.title,
        "event-place": event.place,
        "publisher-place": event.place,
        "language": talk.language,
        "keyword": ", ".join(talk.keywords),
        "abstract": talk.abstract,
        "URL": talk.url,
        "note": talk.licence and f"Licence: {talk.licence}",
    })


def csl_json(talks: list[CitableTalk]) -> str:
    return json.dumps([csl_item(talk) for talk in talks], ensure_ascii=False, indent=2) + "\n"
