"""The citable fields of a talk and of an event, computed once from the rows.

Every citation output (the citation_* and DC.* meta tags, RIS, CSL-JSON, BibTeX and the formatted
references) reads these frozen records, so that none of them can disagree with another on a title,
a speaker, a date or an event. Text is on one line (no newline or control character can break a
line-based format such as RIS), and every URL is absolute, built from SITE_URL.
"""
import re
from dataclasses import dataclass, replace
from datetime import date

from flask import current_app, url_for

from webapp.core.licences import licence_short_name, licence_url
from webapp.core.naming import clean_display_name, fold_accents
from webapp.models import DeckKind, Event, SlideDeck, Talk
from webapp.sanitize import strip_tags

# Lower-case words that start a family name ("Jean de La Fontaine", "Ludwig van Beethoven").
PARTICLES = frozenset({"d'", "d’", "da", "das", "de", "del", "della", "den", "der", "des", "di",
                       "do", "dos", "du", "la", "le", "les", "ten", "ter", "van", "von", "zu"})


@dataclass(frozen=True)
class PersonName:
    given: str
    particle: str  # kept with the family name: "de la" in "de la Fontaine, Jean"
    family: str

    @property
    def family_name(self) -> str:
        return " ".join(filter(None, [self.particle, self.family]))

    @property
    def inverted(self) -> str:
        """'de la Fontaine, Jean-Pierre', as catalogues and reference managers write it."""
        return f"{self.family_name}, {self.given}" if self.given else self.family_name


@dataclass(frozen=True)
class CitableEvent:
    title: str
    url: str
    slug: str
    start: date | None
    end: date | None
    place: str | None
    organiser: str | None
    keywords: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class CitableTalk:
    key: str  # unique among the records of one export (BibTeX key, RIS ID, CSL id)
    title: str
    url: str
    slug: str
    authors: tuple[PersonName, ...]
    day: date | None
    event: CitableEvent
    language: str | None
    keywords: tuple[str, ...]
    abstract: str
    pdf_url: str | None
    licence: str | None  # its short name, "CC BY 4.0"
    licence_url: str | None
    publisher: str  # the archive: SITE_NAME


def one_line(text: str | None) -> str:
    return clean_display_name(text or "")


def person_name(name: str) -> PersonName:
    """The family name is the last word, or starts at the first particle after the given name."""
    words = one_line(name).split()
    if len(words) < 2:
        return PersonName("", "", " ".join(words))
    start = next((i for i in range(1, len(words) - 1) if words[i] in PARTICLES), None)
    if start is None:
        return PersonName(" ".join(words[:-1]), "", words[-1])
    end = start
    while end < len(words) - 1 and words[end] in PARTICLES:
        end += 1
    return PersonName(" ".join(words[:start]), " ".join(words[start:end]), " ".join(words[end:]))


def talk_date(talk: Talk) -> date | None:
    return talk.given_on or talk.event.start_date


def citable_event(event: Event) -> CitableEvent:
    return CitableEvent(
        title=one_line(event.title), url=url_for("public.event", slug=event.slug, _external=True),
        slug=event.slug, start=event.start_date, end=event.end_date, place=one_line(event.place) or None,
        organiser=one_line(event.host_organisation) or None,
        keywords=tuple(tag.name for tag in event.tags),
        description=one_line(strip_tags(event.description)),
    )


def _pdf_url(deck: SlideDeck | None) -> str | None:
    if deck is None or deck.kind != DeckKind.PDF:
        return None
    return url_for("slides.download", deck_id=deck.id, filename=deck.original_name, _external=True)


def citable_talk(talk: Talk, deck: SlideDeck | None = None, event: CitableEvent | None = None) -> CitableTalk:
    """`deck`: the talk's current ready deck, if any (its PDF is cited); `event`: the talk's event,
    when the caller already built it for a programme."""
    return CitableTalk(
        key=citation_key(talk), title=one_line(talk.title),
        url=url_for("public.talk", slug=talk.slug, _external=True), slug=talk.slug,
        authors=tuple(person_name(speaker.name) for speaker in talk.speakers), day=talk_date(talk),
        event=event or citable_event(talk.event), language=talk.language,
        keywords=tuple(tag.name for tag in talk.tags), abstract=one_line(strip_tags(talk.summary)),
        pdf_url=_pdf_url(deck), licence=licence_short_name(talk.licence), licence_url=licence_url(talk.licence),
        publisher=current_app.config["SITE_NAME"],
    )


def citation_key(talk: Talk) -> str:
    """'perrusson2016mediation': the first speaker's family name, the year, the title's first long word."""
    speakers = talk.speakers
    family = person_name(speakers[0].name).family if speakers else "talk"
    day = talk_date(talk)
    words = re.findall(r"\w+", fold_accents(talk.title))
    first_word = next((w for w in words if len(w) > 3), words[0] if words else "")
    raw = f"{family}{day.year if day else ''}{first_word}".lower()
    return re.sub(r"[^a-z0-9]", "", fold_accents(raw)) or f"talk{talk.id}"


def with_unique_keys(records: list[CitableTalk]) -> list[CitableTalk]:
    """The same records, a second 'martin2016fablab' becoming 'martin2016fablab-2' (one export)."""
    seen: dict[str, int] = {}
    unique = []
    for record in records:
        seen[record.key] = seen.get(record.key, 0) + 1
        count = seen[record.key]
        unique.append(record if count == 1 else replace(record, key=f"{record.key}-{count}"))
    return unique
