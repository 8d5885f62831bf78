"""Facet groups for the /search page: labelled options that add or remove one filter each."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from webapp.search.params import SearchParams

MAX_OPTIONS = 12


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


# facet name in SearchResult.facets -> (SearchParams field, title, value parser)
FACETS = (
    ("tag", "tag", _l("Tags"), str),
    ("event", "event", _l("Events"), str),
    ("year", "year", _l("Years"), int),
    ("speaker", "speaker", _l("Speakers"), str),
    ("language", "lang", _l("Language"), str),
    ("has_slides", "has_slides", _l("Slides"), lambda value: value == "true"),
)


def _fixed_labels() -> dict[str, dict[str, str]]:
    return {
        "language": {"fr": str(_l("French")), "en": str(_l("English"))},
        "has_slides": {"true": str(_l("With slides")), "false": str(_l("Without slides"))},
    }


def _label(facet: str, value: str, labels: dict) -> str:
    if facet == "tag":
        return f"#{value}"
    return labels.get(facet, {}).get(value, value)


def _top_values(counts: dict, is_active) -> list[tuple[str, int]]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ranked[:MAX_OPTIONS]
    shown += [item for item in ranked[MAX_OPTIONS:] if is_active(item[0])]
    return shown


def _shown_values(facet: str, counts: dict, is_active) -> list[tuple[str, int]]:
    """The most frequent values (the active one always); years then read in chronological order."""
    shown = _top_values(counts, is_active)
    return sorted(shown, key=lambda item: int(item[0])) if facet == "year" else shown


def facet_groups(params: SearchParams, facets: dict, slug_labels: dict) -> list[FacetGroup]:
    """The non-empty facet groups, values most frequent first (years in chronological order);
    the active value is always shown."""
    labels = {**slug_labels, **_fixed_labels()}
    groups = []
    for facet, field, title, parse in FACETS:
        def is_active(value, field=field, parse=parse):
            return getattr(params, field) == parse(value)
        options = [
            FacetOption(_label(facet, value, labels), count,
                        params.toggled(field, parse(value)), is_active(value))
            for value, count in _shown_values(facet, facets.get(facet) or {}, is_active) if count
        ]
        if options:
            groups.append(FacetGroup(facet, str(title), options))
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
