"""The six OAI-PMH verbs: each fills the answer's root element, or raises OaiError."""
import re
from dataclasses import replace
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import current_app, url_for

from webapp.oai import queries
from webapp.oai.dublin_core import OAI_DC, oai_dc_element
from webapp.oai.protocol import METADATA_PREFIX, OaiError, OaiRequest, date_bounds
from webapp.oai.responses import add_header, add_resumption_token, element, utc_text
from webapp.oai.tokens import BadToken, ListState, make_token, next_state, read_token

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
_TALK_ID = re.compile(r"talk/([1-9][0-9]{0,17})")


def _host() -> str:
    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def identifier_of(talk_id: int) -> str:
    return f"oai:{_host()}:talk/{talk_id}"


def _record_or_error(identifier: str):
    prefix = f"oai:{_host()}:"
    found = _TALK_ID.fullmatch(identifier[len(prefix):]) if identifier.startswith(prefix) else None
    record = queries.find_record(int(found.group(1))) if found else None
    if record is None:
        raise OaiError("idDoesNotExist", f"No record has the identifier {identifier[:200]}.")
    return record


def _check_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OaiError("cannotDisseminateFormat", f"Records are available as oai_dc only, not {prefix[:100]}.")


def identify(root, request: OaiRequest) -> None:
    answer = element(root, "Identify")
    element(answer, "repositoryName", current_app.config["SITE_NAME"])
    element(answer, "baseURL", url_for("oai.endpoint", _external=True))
    element(answer, "protocolVersion", "2.0")
    element(answer, "adminEmail", current_app.config["OAI_ADMIN_EMAIL"])
    earliest = queries.earliest_datestamp() or datetime.now(timezone.utc)
    element(answer, "earliestDatestamp", utc_text(earliest))
    element(answer, "deletedRecord", "persistent")
    element(answer, "granularity", GRANULARITY)


def list_metadata_formats(root, request: OaiRequest) -> None:
    if request.get("identifier") is not None:
        _record_or_error(request.get("identifier"))
    answer = element(root, "ListMetadataFormats")
    metadata_format = element(answer, "metadataFormat")
    element(metadata_format, "metadataPrefix", METADATA_PREFIX)
    element(metadata_format, "schema", OAI_DC_SCHEMA)
    element(metadata_format, "metadataNamespace", OAI_DC)


def _add_record(parent, record, set_specs: list[str], with_metadata: bool) -> None:
    if not with_metadata:
        add_header(parent, identifier_of(record.talk_id), record.datestamp, set_specs, record.is_deleted)
        return
    item = element(parent, "record")
    add_header(item, identifier_of(record.talk_id), record.datestamp, set_specs, record.is_deleted)
    if not record.is_deleted:
        element(item, "metadata").append(oai_dc_element(record.source))


def get_record(root, request: OaiRequest) -> None:
    record = _record_or_error(request.get("identifier"))
    _check_prefix(request.get("metadataPrefix"))
    _add_record(element(root, "GetRecord"), record, queries.sets_of([record.talk_id])[record.talk_id], True)


def _epoch(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


def _list_state(request: OaiRequest) -> ListState:
    if request.get("resumptionToken") is not None:
        try:
            return read_token(request.get("resumptionToken"), request.verb)
        except BadToken:
            raise OaiError("badResumptionToken", "The resumption token is invalid or has expired.") from None
    _check_prefix(request.get("metadataPrefix"))
    from_at, until_at = date_bounds(request.arguments)
    return ListState(request.verb, METADATA_PREFIX, _epoch(from_at), _epoch(until_at), request.get("set"))


def _page_size() -> int:
    return current_app.config["OAI_PAGE_SIZE"]


def _end_of_page(parent, state: ListState, has_more: bool, after, answered: int, size: int) -> None:
    """A token when more items follow; an empty one ending a list that took tokens (section 3.5)."""
    if has_more:
        token, expires_at = make_token(next_state(state, after, answered, size))
        add_resumption_token(parent, token, expires_at, size, state.cursor)
    elif state.cursor > 0:
        add_resumption_token(parent, "", None, size, state.cursor)


def _list_records(root, request: OaiRequest, with_metadata: bool) -> None:
    state = _list_state(request)
    if state.size is None:
        state = replace(state, size=queries.count_records(state))
    page = queries.record_page(state, _page_size() + 1, with_metadata)
    if not page:
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    size = state.size
    shown = page[:_page_size()]
    set_specs = queries.sets_of([record.talk_id for record in shown])
    answer = element(root, request.verb)
    for record in shown:
        _add_record(answer, record, set_specs.get(record.talk_id, []), with_metadata)
    _end_of_page(answer, state, len(page) > len(shown), shown[-1].talk_id, len(shown), size)


def list_records(root, request: OaiRequest) -> None:
    _list_records(root, request, with_metadata=True)


def list_identifiers(root, request: OaiRequest) -> None:
    _list_records(root, request, with_metadata=False)


def _sets_state(request: OaiRequest) -> ListState:
    if request.get("resumptionToken") is None:
        return ListState("ListSets", None, None, None, None, after="")
    return _list_state(request)


def list_sets(root, request: OaiRequest) -> None:
    state = _sets_state(request)
    page = queries.set_page(str(state.after), _page_size() + 1)
    top = [("", spec, name) for spec, name in queries.TOP_SETS.items()] if state.cursor == 0 else []
    shown = top + page[:_page_size()]
    if not shown:  # the sets left were withdrawn since the token was made
        raise OaiError("badResumptionToken", "The sets have changed since this token was made: list them again.")
    size = state.size if state.size is not None else queries.count_sets() + len(top)
    answer = element(root, "ListSets")
    for _, spec, name in shown:
        item = element(answer, "set")
        element(item, "setSpec", spec)
        element(item, "setName", name)
    _end_of_page(answer, state, len(page) > _page_size(), shown[-1][0], len(shown), size)


VERBS = {"Identify": identify, "ListMetadataFormats": list_metadata_formats, "ListSets": list_sets,
         "GetRecord": get_record, "ListIdentifiers": list_identifiers, "ListRecords": list_records}
