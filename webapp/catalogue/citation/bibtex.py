"""BibTeX: one @misc entry per talk (howpublished names the event), language-neutral.

Values are escaped for BibTeX and LaTeX, so a title holding braces, %, & or a backslash keeps
the entry well-formed; the title is double-braced to keep its capitals.
"""
import re

from webapp.catalogue.citation.records import CitableTalk, PersonName

_SPECIAL = re.compile(r"([\\{}%&$#_~^])")
_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(text: str) -> str:
    return _SPECIAL.sub(lambda m: _REPLACEMENTS.get(m[1], "\\" + m[1]), text)


def _braced(value: str | None) -> str | None:
    return "{" + bibtex_escape(value) + "}" if value else None


def _name_part(text: str) -> str:
    """Escaped; braced when it holds " and ", which would otherwise separate two people."""
    escaped = bibtex_escape(text)
    return "{" + escaped + "}" if re.search(r"\sand\s", escaped, re.IGNORECASE) else escaped


def _author(name: PersonName) -> str:
    """'de la Fontaine, Jean': BibTeX reads the lower-case particle as the "von" part."""
    family = _name_part(name.family_name)
    return f"{family}, {_name_part(name.given)}" if name.given else family


def _authors(talk: CitableTalk) -> str | None:
    return "{" + " and ".join(_author(name) for name in talk.authors) + "}" if talk.authors else None


def _fields(talk: CitableTalk) -> list[tuple[str, str | None]]:
    day, event = talk.day, talk.event
    return [
        ("author", _authors(talk)),
        ("title", "{" + _braced(talk.title) + "}"),
        ("howpublished", _braced(", ".join(filter(None, [event.title, event.place])))),
        ("year", str(day.year) if day else None),
        ("month", _MONTHS[day.month - 1] if day else None),
        ("url", "{" + talk.url.replace("{", "%7B").replace("}", "%7D") + "}"),
        ("note", _braced(talk.licence and f"Licence: {talk.licence}")),
    ]


def bibtex_entry(talk: CitableTalk) -> str:
    lines = [f"  {name} = {value}," for name, value in _fields(talk) if value]
    return "@misc{" + talk.key + ",\n" + "\n".join(lines) + "\n}"


def bibtex_file(talks: list[CitableTalk]) -> str:
    return "".join(bibtex_entry(talk) + "\n\n" for talk in talks)
