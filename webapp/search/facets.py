"""Facet groups for the /search page: labelled options that add or remove one filter each."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from search_index import SearchResult
from webapp.search.params import SearchParams

MAX_OPTIONS = 12  # values the page shows per facet: the engine counts them, and how many others there are


@dataclass
class FacetOption:
    label: str
    count: int
    args: dict  # query arguments of the page with this filter toggled
    is_active: bool


@dataclass
class FacetGroup:
    name: str
    title: str
    options: list[FacetOption]
    more: int = 0  # values of this facet that are not shown


# facet name in SearchResult.facets -> (SearchParams field, title, value parser)
FACETS = (
    ("tag", "tag", _l("Tags"), str),
    ("event", "event", _l("Events"), str),
    ("year", "year", _l("Years"), int),
    ("speaker", "speaker", _l("Speakers"), str),
    ("language", "lang", _l("Language"), str),
    ("has_slides", "has_slides", _l("Slides"), lambda value: value == "true"),
    ("has_transcript", "has_transcript", _l("Transcript"), lambda value: value == "true"),
)


def _fixed_labels() -> dict[str, dict[str, str]]:
    return {
        "language": {"fr": str(_l("French")), "en": str(_l("English"))},
        "has_slides": {"true": str(_l("With slides")), "false": str(_l("Without slides"))},
        "has_transcript": {"true": str(_l("With a transcript")), "false": str(_l("Without a transcript"))},
    }


def _label(facet: str, value: str, labels: dict) -> str:
    if facet == "tag":
        return f"#{value}"
    return labels.get(facet, {}).get(value, value)


def _shown_values(facet: str, counts: dict) -> list[tuple[str, int]]:
    """The engine's top values (the active one among them), most frequent first; years in
    chronological order."""
    if facet == "year":
        return sorted(counts.items(), key=lambda item: int(item[0]))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def facet_groups(params: SearchParams, result: SearchResult, slug_labels: dict) -> list[FacetGroup]:
    """The non-empty facet groups of a result: its top values (counted by the engine, the active
    value always among them), and how many others each facet has."""
    labels = {**slug_labels, **_fixed_labels()}
    groups = []
    for facet, field, title, parse in FACETS:
        options = [
            FacetOption(_label(facet, value, labels), count, params.toggled(field, parse(value)),
                        getattr(params, field) == parse(value))
            for value, count in _shown_values(facet, result.facets.get(facet) or {}) if count
        ]
        if options:
            groups.append(FacetGroup(facet, str(title), options, result.facet_others.get(facet, 0)))
    return groups


@dataclass
class ActiveFilter:
    title: str
    label: str
    remove_args: dict


def active_filters(params: SearchParams, slug_labels: dict) -> list[ActiveFilter]:
    """The filters in use, each with the arguments of the page without it."""
    labels = {**slug_labels, **_fixed_labels()}
    filters = []
    for facet, field, title, _parse in FACETS:
        value = getattr(params, field)
        if value is not None:
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            filters.append(ActiveFilter(str(title), _label(facet, text, labels),
                                        params.query_args(**{field: None, "page": 1})))
    return filters
