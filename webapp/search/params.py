"""Search parameters, parsed once for the /search page and the JSON API alike.

Every value is validated: a bad one raises InvalidSearchParams with a message for people,
which the views turn into a 400 (HTML or JSON). The text query itself is never rejected for its
syntax (the engine degrades broken syntax to plain words), only for its length.
"""
import re
from dataclasses import asdict, dataclass, replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from search_index import FACET_LIMIT, MAX_FACET_LIMIT, SearchRequest
from webapp.core.naming import normalize_tag

MAX_QUERY_LENGTH = 300
MAX_PAGE = 500
MAX_PER_PAGE = 50  # results per page a JSON client may ask for
SORTS = ("relevance", "date")
LANGUAGES = ("fr", "en")
BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
FILTERS = ("tag", "event", "year", "speaker", "lang", "has_slides", "has_transcript")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,198}[a-z0-9])?$")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class InvalidSearchParams(ValueError):
    """A parameter the search cannot use; str(error) is a message for people."""


@dataclass
class SearchParams(SearchRequest):
    """The engine's SearchRequest, plus what the pages need to describe and link searches."""

    @property
    def has_filters(self) -> bool:
        return any(getattr(self, name) is not None for name in FILTERS)

    @property
    def is_blank(self) -> bool:
        return not self.q and not self.has_filters

    def to_request(self, per_page: int, facet_limit: int | None = None) -> SearchRequest:
        return replace(self, per_page=per_page, facet_limit=facet_limit or self.facet_limit)

    def query_args(self, **changes) -> dict:
        """URL parameters for these params with changes (None removes a value); page 1 is implied."""
        values = asdict(replace(self, **changes))
        del values["per_page"], values["facet_limit"]
        values["has_slides"] = _format_boolean(values["has_slides"])
        values["has_transcript"] = _format_boolean(values["has_transcript"])
        defaults = {"q": "", "sort": "relevance", "page": 1}
        return {k: v for k, v in values.items() if v is not None and defaults.get(k) != v}

    def toggled(self, name: str, value) -> dict:
        """Arguments that add the filter name=value, or remove it when it is already set."""
        current = getattr(self, name)
        return self.query_args(**{name: None if current == value else value, "page": 1})


def _format_boolean(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _single(args: MultiDict, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise InvalidSearchParams(_("The parameter “%(name)s” was given more than once.", name=name))
    value = values[0].strip() if values else ""
    return value or None


def single_line(raw: str | None) -> str:
    """The text with control characters dropped and runs of white space made single spaces."""
    return " ".join(_CONTROL_CHARACTERS.sub(" ", raw or "").split())


def _query_text(raw: str | None) -> str:
    text = single_line(raw)
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidSearchParams(
            _("The search text is too long: use at most %(count)d characters.",
              count=MAX_QUERY_LENGTH))
    return text


def _tag(raw: str | None) -> str | None:
    if raw is None:
        return None
    name = normalize_tag(raw)
    if not name:
        raise InvalidSearchParams(_("The tag must contain letters or digits, such as #mednumsavoirs."))
    return name


def _slug(raw: str | None, label) -> str | None:
    if raw is not None and not _SLUG.match(raw):
        raise InvalidSearchParams(
            _("The %(label)s must be an identifier from the archive's addresses, "
              "made of lower-case letters, digits and hyphens.", label=str(label)))
    return raw


def _whole_number(raw: str | None, low: int, high: int, message) -> int | None:
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise InvalidSearchParams(str(message))
    return int(raw)


def _choice(raw: str | None, choices, message):
    if raw is not None and raw.lower() not in choices:
        raise InvalidSearchParams(str(message))
    return raw.lower() if raw is not None else None


def parse_search_params(args: MultiDict) -> SearchParams:
    """The search parameters in a query string; raises InvalidSearchParams. The messages are lazy:
    one is translated only when it is shown, and a valid request builds none."""
    has_slides = _choice(_single(args, "has_slides"), BOOLEANS,
                         _l("“has_slides” must be true or false."))
    has_transcript = _choice(_single(args, "has_transcript"), BOOLEANS,
                             _l("“has_transcript” must be true or false."))
    return SearchParams(
        q=_query_text(_single(args, "q")),
        tag=_tag(_single(args, "tag")),
        event=_slug(_single(args, "event"), _l("event")),
        year=_whole_number(_single(args, "year"), 1000, 9999,
                           _l("The year must have four digits, such as 2016.")),
        speaker=_slug(_single(args, "speaker"), _l("speaker")),
        lang=_choice(_single(args, "lang"), LANGUAGES, _l("The language must be fr or en.")),
        has_slides=None if has_slides is None else BOOLEANS[has_slides],
        has_transcript=None if has_transcript is None else BOOLEANS[has_transcript],
        sort=_choice(_single(args, "sort"), SORTS,
                     _l("The sort order must be relevance or date.")) or "relevance",
        page=_whole_number(_single(args, "page"), 1, MAX_PAGE,
                           _l("The page must be a whole number from 1 to %(max)d.", max=MAX_PAGE)) or 1,
        facet_limit=_whole_number(_single(args, "facet_limit"), 1, MAX_FACET_LIMIT, _l(
            "The number of values per facet must be a whole number from 1 to %(max)d.",
            max=MAX_FACET_LIMIT)) or FACET_LIMIT,
    )


def parse_per_page(args: MultiDict, default: int) -> int:
    """The JSON API's `per_page` (results per page, 1 to MAX_PER_PAGE); raises InvalidSearchParams."""
    return _whole_number(_single(args, "per_page"), 1, MAX_PER_PAGE, _l(
        "The number of results per page must be a whole number from 1 to %(max)d.", max=MAX_PER_PAGE)) or default
