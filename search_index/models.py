"""The plain data the engine exchanges with its callers (see the search contract)."""
import unicodedata
from dataclasses import astuple, dataclass, field, replace


class IndexBusy(RuntimeError):
    """Another live process holds the write lock; try again later."""


SORTS = ("relevance", "date")
MAX_PER_PAGE = 100
FACET_LIMIT = 20  # values per facet by default: an answer's size does not grow with the archive
MAX_FACET_LIMIT = 100


@dataclass
class SearchRequest:
    q: str = ""
    tag: str | None = None
    event: str | None = None
    year: int | None = None
    speaker: str | None = None
    lang: str | None = None
    has_slides: bool | None = None
    has_transcript: bool | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facet_limit: int = FACET_LIMIT  # values listed per facet, the most frequent (1 to MAX_FACET_LIMIT)

    def normalised(self) -> "SearchRequest":
        """The same request with out-of-range values brought back in range (never raises), and its
        query in NFC with its white space collapsed (which changes nothing it finds)."""
        return SearchRequest(
            q=" ".join(unicodedata.normalize("NFC", self.q or "").split())[:500].rstrip(),
            tag=self.tag or None, event=self.event or None,
            year=_as_int(self.year), speaker=self.speaker or None, lang=self.lang or None,
            has_slides=self.has_slides, has_transcript=self.has_transcript,
            sort=self.sort if self.sort in SORTS else "relevance",
            page=max(1, _as_int(self.page) or 1), per_page=min(MAX_PER_PAGE, max(1, _as_int(self.per_page) or 20)),
            facet_limit=min(MAX_FACET_LIMIT, max(1, _as_int(self.facet_limit) or FACET_LIMIT)),
        )

    def cache_key(self) -> tuple:
        """What the answer depends on: every field of the normalised request."""
        return astuple(self.normalised())


def _as_int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@dataclass
class Hit:
    id: str
    slug: str
    score: float
    highlights: dict[str, str] = field(default_factory=dict)
    slide_page: int | None = None
    transcript_second: int | None = None  # the moment of the talk (seconds) of the first matching transcript cue


@dataclass
class SearchResult:
    total: int = 0
    page: int = 1
    per_page: int = 20
    hits: list[Hit] = field(default_factory=list)
    speakers: list[dict] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    facet_others: dict[str, int] = field(default_factory=dict)  # per facet, the values left out of `facets`
    suggestion: str | None = None
    is_query_truncated: bool = False  # words or phrases beyond the caps of search_index.query were left out
    is_partial: bool = False  # the search ran out of budget: some matches (and speakers) may be missing
    is_relaxed: bool = False  # no talk holds every word of the query: the hits hold most of them (most_words.py)

    def copy(self) -> "SearchResult":
        """A copy that shares nothing mutable with this one (a cached answer is handed out so)."""
        return replace(self, hits=[replace(hit, highlights=dict(hit.highlights)) for hit in self.hits],
                       speakers=[dict(speaker) for speaker in self.speakers],
                       facets={name: dict(counts) for name, counts in self.facets.items()},
                       facet_others=dict(self.facet_others))


@dataclass
class Suggestion:
    type: str
    label: str
    slug: str


@dataclass(frozen=True)
class SchemaState:
    """The live generation's schema beside the code's (fingerprints: search_index/fingerprint.py)."""

    generation: str | None  # the live generation; None while nothing was ever written
    built_with: str | None  # the fingerprint it recorded; None if built before generations recorded one
    expected: str           # the fingerprint of this code's schema

    @property
    def is_stale(self) -> bool:
        """Built with another schema, or too old to say: only a rebuild brings it up to date."""
        return self.generation is not None and self.built_with != self.expected

    @property
    def reason(self) -> str:
        """Why the live generation is (or is not) stale, in one line for the logs."""
        if not self.is_stale:
            return f"generation {self.generation or '-'} matches the current schema"
        if self.built_with is None:
            return f"generation {self.generation} records no schema fingerprint (built before they were recorded)"
        return (f"generation {self.generation} was built with schema {self.built_with[:12]}, "
                f"the current schema is {self.expected[:12]}")
