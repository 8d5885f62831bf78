"""Reading OAI-PMH answers in tests: every answer is validated against the official schema (schemas/OAI-PMH.xsd) and
every oai_dc record against the 15 elements of unqualified Dublin Core."""
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"oai": OAI, "oai_dc": OAI_DC, "dc": DC}
DC_ELEMENTS = {"title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
               "format", "identifier", "source", "language", "relation", "coverage", "rights"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMAS / "OAI-PMH.xsd")))


def check_oai_dc(dc) -> None:
    """What oai_dc.xsd and simpledc20021212.xsd require: only the 15 elements, in the DC namespace,
    text only, with no attribute but xml:lang."""
    assert dc.tag == f"{{{OAI_DC}}}dc"
    for child in dc:
        namespace, name = child.tag[1:].split("}")
        assert namespace == DC and name in DC_ELEMENTS, child.tag
        assert len(child) == 0 and set(child.attrib) <= {XML_LANG}, etree.tostring(child)
        assert (child.text or "").strip()


def validated(body: bytes):
    document = etree.fromstring(body)
    if not _SCHEMA.validate(document):
        raise AssertionError(f"{_SCHEMA.error_log}\n{body[:3000].decode()}")
    for dc in document.iterfind(".//oai:metadata/oai_dc:dc", NS):
        check_oai_dc(dc)
    return document


def error_code(document) -> str | None:
    found = document.find("oai:error", NS)
    return found.get("code") if found is not None else None


def identifiers(document) -> list[str]:
    return [element.text for element in document.iterfind(".//oai:header/oai:identifier", NS)]


def token_of(document):
    return document.find(".//oai:resumptionToken", NS)
