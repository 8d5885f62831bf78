"""The partitions summary counts are kept by, and the set of rows a change touches."""
from dataclasses import dataclass, field, fields
from datetime import date

from webapp.core.session_changes import chunked  # noqa: F401  (the summary's modules take it from here)

# Letters of the speakers index; everything else (digits, other scripts) sits under "#".
INDEX_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")
OTHER_LETTER = "#"
UNDATED_YEAR = ""  # the EVENTS_BY_YEAR / TALKS_BY_YEAR partition of events without a date


def index_letter(sort_key: str | None) -> str:
    initial = (sort_key or "")[:1].lower()
    return initial if initial in INDEX_LETTERS else OTHER_LETTER


def year_key(day: date | None) -> str:
    return f"{day.year:04d}" if day else UNDATED_YEAR


@dataclass
class Touched:
    """Rows whose summary data a transaction's changes may have changed."""

    talks: set = field(default_factory=set)  # their link listings and reading-list entry
    events: set = field(default_factory=set)  # their counts and listing day
    changed_events: set = field(default_factory=set)  # status or date changed: all their talks too
    tags: set = field(default_factory=set)
    speakers: set = field(default_factory=set)
    series: set = field(default_factory=set)
    years: set = field(default_factory=set)  # ArchiveCount partitions to count again
    places: set = field(default_factory=set)
    organisations: set = field(default_factory=set)
    letters: set = field(default_factory=set)
    tags_total: bool = False  # a tag was deleted, or gained or lost its last public talk

    def update(self, other: "Touched") -> None:
        for item in fields(self):
            if item.name == "tags_total":
                self.tags_total |= other.tags_total
            else:
                getattr(self, item.name).update(getattr(other, item.name))

    def add_event_facets(self, start_date: date | None, place: str | None, organisation: str | None) -> None:
        self.years.add(year_key(start_date))
        if place:
            self.places.add(place)
        if organisation:
            self.organisations.add(organisation)

    def __bool__(self) -> bool:
        return self.tags_total or any(getattr(self, item.name) for item in fields(self)
                                      if item.name != "tags_total")

    def discard_none(self) -> None:
        for item in fields(self):
            if item.name != "tags_total":
                getattr(self, item.name).discard(None)
