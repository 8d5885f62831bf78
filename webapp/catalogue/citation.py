"""How to cite a talk: a formatted reference, and BibTeX (licences are named by webapp/core/licences.py).

The formatted reference follows the APA pattern for conference presentations, in the current
language; BibTeX is language-neutral (@misc with howpublished and url).
"""
import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton
from flask_babel import get_locale, gettext

from webapp.core.i18n import with_french_ordinals
from webapp.core.licences import licence_short_name
from webapp.core.naming import fold_accents
from webapp.models import Talk

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_~^])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}",
                        "^": r"\textasciicircum{}"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str


def split_name(name: str) -> tuple[str, str]:
    """(given names, family name): the last word is the family name, as in the A-Z index."""
    parts = name.split()
    if len(parts) < 2:
        return "", name.strip()
    return " ".join(parts[:-1]), parts[-1]


def _initials(given: str) -> str:
    def initial(word: str) -> str:
        return "-".join(f"{piece[0]}." for piece in word.split("-") if piece)

    return " ".join(initial(word) for word in given.split())


def _apa_author(name: str) -> str:
    given, family = split_name(name)
    return f"{family}, {_initials(given)}" if given else family


def _apa_authors(names: list[str]) -> str:
    authors = [_apa_author(n) for n in names]
    if len(authors) < 2:
        return "".join(authors)
    return gettext("%(first)s & %(last)s", first=", ".join(authors[:-1]), last=authors[-1])


def talk_date(talk: Talk) -> date | None:
    return talk.given_on or talk.event.start_date


def _apa_date(day: date | None) -> str:
    if day is None:
        return gettext("n.d.")
    month_day = with_french_ordinals(format_skeleton("MMMMd", day, locale=get_locale()))
    return gettext("%(year)s, %(month_day)s", year=day.year, month_day=month_day)


def format_citation(talk: Talk, url: str) -> str:
    """'Perrusson, S. (2016, October 5). Title [Conference presentation]. Event, Place. URL'"""
    event = talk.event
    where = ", ".join(filter(None, [event.title, event.place]))
    kind = gettext("Conference presentation")
    parts = [
        _apa_authors([s.name for s in talk.speakers]),
        f"({_apa_date(talk_date(talk))}).",
        f"{talk.title.rstrip('.')} [{kind}].",
        f"{where}.",
        url,
    ]
    return " ".join(p for p in parts if p)


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m[1], "\\" + m[1]), text)


def bibtex_key(talk: Talk) -> str:
    speakers = talk.speakers
    family = split_name(speakers[0].name)[1] if speakers else "talk"
    day = talk_date(talk)
    words = re.findall(r"\w+", fold_accents(talk.title))
    first_word = next((w for w in words if len(w) > 3), words[0] if words else "")
    raw = f"{family}{day.year if day else ''}{first_word}".lower()
    return re.sub(r"[^a-z0-9]", "", fold_accents(raw)) or f"talk{talk.id}"


def _bibtex_author(name: str) -> str:
    given, family = split_name(name)
    return f"{family}, {given}" if given else family


def _braced(value: str | None) -> str | None:
    return "{" + bibtex_escape(value) + "}" if value else None


def _bibtex_fields(talk: Talk, url: str) -> list[tuple[str, str | None]]:
    day = talk_date(talk)
    event = talk.event
    return [
        ("author", _braced(" and ".join(_bibtex_author(s.name) for s in talk.speakers))),
        ("title", "{" + _braced(talk.title) + "}"),  # double braces keep its capitals
        ("howpublished", _braced(", ".join(filter(None, [event.title, event.place])))),
        ("year", str(day.year) if day else None),
        ("month", _MONTHS[day.month - 1] if day else None),
        ("url", "{" + url.replace("{", "%7B").replace("}", "%7D") + "}"),
        ("note", _braced(talk.licence and f"Licence: {licence_short_name(talk.licence)}")),
    ]


def format_bibtex(talk: Talk, url: str) -> str:
    """An @misc entry with escaped values."""
    lines = [f"  {name} = {value}," for name, value in _bibtex_fields(talk, url) if value]
    return "@misc{" + bibtex_key(talk) + ",\n" + "\n".join(lines) + "\n}"


def cite_talk(talk: Talk, url: str) -> Citation:
    return Citation(text=format_citation(talk, url), bibtex=format_bibtex(talk, url))
