"""The OAI-PMH XML of an answer, built with lxml (never by string concatenation)."""
from datetime import datetime, timezone

from flask import url_for
from lxml import etree

from webapp.oai.dublin_core import XSI
from webapp.oai.sources import xml_text

OAI = "http://www.openarchives.org/OAI/2.0/"
SCHEMA_LOCATION = f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"


def utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def element(parent, name: str, text=None, **attributes):
    child = etree.SubElement(parent, f"{{{OAI}}}{name}", {key: str(value) for key, value in attributes.items()})
    if text is not None:
        child.text = xml_text(text)
    return child


def envelope(request_arguments: dict[str, str] | None):
    """The root with responseDate and request; `request_arguments` None for badVerb/badArgument,
    whose request element carries no attribute (section 3.6)."""
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    element(root, "responseDate", utc_text(datetime.now(timezone.utc)))
    request = element(root, "request", url_for("oai.endpoint", _external=True))
    for name, value in (request_arguments or {}).items():
        request.set(name, xml_text(value))
    return root


def add_errors(root, errors: list[tuple[str, str]]) -> None:
    for code, message in errors:
        element(root, "error", message, code=code)


def add_header(parent, identifier: str, datestamp: datetime, set_specs: list[str], is_deleted: bool):
    header = element(parent, "header", **({"status": "deleted"} if is_deleted else {}))
    element(header, "identifier", identifier)
    element(header, "datestamp", utc_text(datestamp))
    for spec in set_specs:
        element(header, "setSpec", spec)
    return header


def add_resumption_token(parent, token: str, expires_at: datetime | None, size: int, cursor: int) -> None:
    attributes = {"completeListSize": size, "cursor": cursor}
    if expires_at is not None:
        attributes["expirationDate"] = utc_text(expires_at)
    element(parent, "resumptionToken", token or None, **attributes)


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
