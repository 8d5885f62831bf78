"""The arguments of an OAI-PMH request, checked as the protocol says (section 3.1 and 4).

parse_request turns the query (GET) or the form (POST) into an OaiRequest, or raises OaiError with
the error code the protocol calls for: badVerb, badArgument (unknown, missing or repeated arguments,
bad dates, mixed granularities, from after until), or badResumptionToken (an exclusive argument).
"""
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from werkzeug.datastructures import MultiDict

METADATA_PREFIX = "oai_dc"
ARGUMENTS = {  # verb -> (required, optional); resumptionToken is exclusive where allowed
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
# The syntax OAI-PMH.xsd gives metadataPrefix and setSpec: other values are illegal arguments.
_SYNTAX = {"metadataPrefix": re.compile(r"[A-Za-z0-9\-_.!~*'()]+"),
           "set": re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class OaiRequest:
    verb: str
    arguments: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)


def _verb(values: MultiDict) -> str:
    verbs = values.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb."
                       if len(verbs) != 1 else f"Unknown verb: {verbs[0][:100]}")
    return verbs[0]


def _check_names(verb: str, values: MultiDict) -> dict[str, str]:
    required, optional = ARGUMENTS[verb]
    arguments = {}
    for name in values:
        if name == "verb":
            continue
        if name not in required | optional:
            raise OaiError("badArgument", f"{verb} takes no argument {name[:100]}.")
        if len(values.getlist(name)) > 1:
            raise OaiError("badArgument", f"The argument {name} is repeated.")
        arguments[name] = values[name]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
    elif required - arguments.keys():
        raise OaiError("badArgument", f"{verb} needs {', '.join(sorted(required - arguments.keys()))}.")
    for name, syntax in _SYNTAX.items():
        if name in arguments and not syntax.fullmatch(arguments[name]):
            raise OaiError("badArgument", f"Not a valid {name}: {arguments[name][:100]}")
    return arguments


def parse_datestamp(value: str, is_until: bool) -> tuple[datetime, str]:
    """A UTC datetime (a day's until is its last second) and its granularity."""
    if _SECOND.fullmatch(value):
        granularity, text = "second", value
    elif _DAY.fullmatch(value):
        granularity, text = "day", value + ("T23:59:59Z" if is_until else "T00:00:00Z")
    else:
        raise OaiError("badArgument", f"Not a UTC datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ): {value[:40]}")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc), granularity
    except ValueError:
        raise OaiError("badArgument", f"Not a valid date: {value[:40]}") from None


def date_bounds(arguments: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """from and until, checked: the same granularity, from not after until."""
    found = {name: parse_datestamp(arguments[name], name == "until")
             for name in ("from", "until") if name in arguments}
    if len({granularity for _, granularity in found.values()}) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    from_at, until_at = (found[name][0] if name in found else None for name in ("from", "until"))
    if from_at and until_at and from_at > until_at:
        raise OaiError("badArgument", "from is later than until.")
    return from_at, until_at


def parse_request(values: MultiDict) -> OaiRequest:
    verb = _verb(values)
    arguments = _check_names(verb, values)
    if "from" in arguments or "until" in arguments:
        date_bounds(arguments)
    return OaiRequest(verb, arguments)
