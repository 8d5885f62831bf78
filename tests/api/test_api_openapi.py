"""/api/v1/openapi.json: an OpenAPI 3.1 document that describes every /api/v1 route of the app, and
whose descriptions of search, suggest and slides match what those routes answer."""
import jsonschema
import pytest
from schemathesis.openapi import from_dict

from tests.api.conftest import SITE
from webapp.models import DeckKind, DeckStatus, SlideDeck
from webapp.openapi.document import api_rules, documented_methods, openapi_path


def test_the_document_is_openapi_3_1_and_loads_in_schemathesis(document):
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": SITE}]
    operations = list(from_dict(document).get_all_operations())
    assert operations and all(operation.ok() for operation in operations)


def test_every_api_route_of_the_url_map_is_described(app, document):
    """A route added under /api/v1 without a description (webapp/core/json_api.py's `documented`, or
    webapp/openapi/search_and_slides.py) fails here."""
    missing = [f"{method.upper()} {rule.rule} ({rule.endpoint})" for rule in api_rules(app)
               for method in documented_methods(rule)
               if method not in document["paths"].get(openapi_path(rule), {})]
    assert missing == []
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert len(described) == sum(len(documented_methods(rule)) for rule in api_rules(app)) >= 13


def test_path_parameters_come_from_the_rules(document):
    parameters = document["paths"]["/api/v1/tags/{tag}"]["get"]["parameters"]
    assert {"in": "path", "name": "tag", "required": True, "schema": {"type": "string"}} in parameters
    listed = {p["name"] for p in document["paths"]["/api/v1/talks"]["get"]["parameters"]}
    assert listed == {"limit", "cursor", "event", "speaker", "tag", "language", "updated_since"}


def test_the_document_has_an_etag(checked):
    first = checked("/api/v1/openapi.json")
    assert checked("/api/v1/openapi.json", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_search_and_suggest_answer_as_described(checked, archive, drain):
    drain()
    for path in ("/api/v1/search?q=Exposé", "/api/v1/search?q=expose&tag=robotique&facet_limit=1",
                 "/api/v1/search?q=zzzzqqq", "/api/v1/suggest?q=Expo", "/api/v1/suggest?q="):
        assert checked(path).status_code == 200, path
    assert checked("/api/v1/search?q=Exposé").get_json()["total"] == 7
    assert checked("/api/v1/search?year=12").status_code == 400
    assert checked("/api/v1/search?q=Exposé&page=400").status_code == 404


@pytest.fixture
def deck(db, archive):
    talk = archive["talks"][1]
    found = SlideDeck(talk=talk, version=1, is_current=True, status=DeckStatus.READY, kind=DeckKind.PDF,
                      original_name="expose-1.pdf", sha256="0" * 64, size=1234, storage_key="k" * 32, page_count=12,
                      licence="CC-BY-SA-4.0")
    db.session.add(found)
    db.session.commit()
    return found


def test_slides_answer_as_described_and_show_on_the_talk(checked, deck):
    decks = checked("/api/v1/talks/expose-1/slides").get_json()["decks"]
    assert [d["version"] for d in decks] == [1]
    slides = checked("/api/v1/talks/expose-1").get_json()["slides"]
    assert slides == {"download_url": decks[0]["download_url"], "kind": "pdf", "pages": 12,
                      "licence": {"spdx": "CC-BY-SA-4.0", "name": "CC BY-SA 4.0",
                                  "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
                      "api_url": f"{SITE}/api/v1/talks/expose-1/slides"}
    assert checked("/api/v1/talks/expose-brouillon/slides").status_code == 404
    assert checked("/api/v1/talks/expose-1/slides", method="POST").status_code == 401


def test_a_drift_from_the_document_is_caught(checked, document, archive):
    """The validation itself: a representation that loses a key no longer matches."""
    talk = checked("/api/v1/talks/expose-1").get_json()
    del talk["summary_text"]
    root = {"allOf": [document["paths"]["/api/v1/talks/{slug}"]["get"]["responses"]["200"]["content"]
                      ["application/json"]["schema"]], "components": document["components"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(talk, root, cls=jsonschema.Draft202012Validator)
