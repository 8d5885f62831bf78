"""oai_dc: the unqualified Dublin Core of a record, built from its stored source with lxml.

dc:type uses the DCMI Type Vocabulary: Text (the talk's page, its summary and slides), MovingImage
when there is a video, Event (the talk as given at its event); dc:format the media types of what
dc:identifier points to (the page, the slide deck); dc:rights the licence's deed.
"""
from flask import current_app, url_for
from lxml import etree

from webapp.core.licences import find_licence

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DECK_TYPES = {"pdf": "application/pdf",
              "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
              "odp": "application/vnd.oasis.opendocument.presentation", "key": "application/vnd.apple.keynote"}


def _add(parent, name: str, value, language: str | None = None) -> None:
    if value:
        element = etree.SubElement(parent, f"{{{DC}}}{name}")
        element.text = str(value)
        if language:
            element.set(XML_LANG, language)


def _rights(code: str | None) -> str | None:
    licence = find_licence(code)
    return (licence.url or licence.code) if licence else None


def _identifiers(source: dict) -> list[tuple[str, str]]:
    """(URL, media type) of the talk's page, and of its slide deck when it has one."""
    found = [(url_for("public.talk", slug=source["slug"], _external=True), "text/html")]
    deck = source["deck"]
    if deck:
        url = url_for("slides.download", deck_id=deck["id"], filename=deck["name"], _external=True)
        found.append((url, DECK_TYPES.get(deck["kind"], "application/octet-stream")))
    return found


def _types(source: dict) -> list[str]:
    return ["Text", *(["MovingImage"] if source["video_url"] else []), "Event"]


def oai_dc_element(source: dict):
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    language, event, identifiers = source["language"], source["event"], _identifiers(source)
    _add(root, "title", source["title"], language)
    for name in source["creators"]:
        _add(root, "creator", name)
    for subject in source["subjects"]:
        _add(root, "subject", subject, language)
    _add(root, "description", source["description"], language)
    _add(root, "publisher", event["publisher"] or current_app.config["SITE_NAME"])
    _add(root, "date", source["date"])
    for dc_type in _types(source):
        _add(root, "type", dc_type)
    for media_type in dict.fromkeys(media_type for _, media_type in identifiers):
        _add(root, "format", media_type)
    for url, _ in identifiers:
        _add(root, "identifier", url)
    _add(root, "language", language)
    _add(root, "relation", url_for("public.event", slug=event["slug"], _external=True))
    _add(root, "relation", source["video_url"])
    _add(root, "coverage", event["place"])
    _add(root, "rights", _rights(source["licence"]))
    return root
