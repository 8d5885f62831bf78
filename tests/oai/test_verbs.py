"""The six verbs over a small archive, each answer validated against OAI-PMH.xsd."""
import pytest

from tests.oai.oai_xml import NS, error_code, identifiers
from webapp.models import Status

HOST = "127.0.0.1"


def test_identify_says_deleted_records_are_persistent(oai, db, make_talk):
    make_talk()
    db.session.commit()
    document = oai(verb="Identify")
    assert document.findtext("oai:Identify/oai:deletedRecord", namespaces=NS) == "persistent"
    assert document.findtext("oai:Identify/oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert document.findtext("oai:Identify/oai:baseURL", namespaces=NS) == "http://127.0.0.1:8000/oai"


@pytest.fixture
def fablab(db, make_talk, make_event, make_speaker):
    event = make_event("Journée MedNum", slug="journee-mednum", place="Lyon", host_organisation="INET")
    talk = make_talk("Le fablab\x0b", event=event, speakers=[make_speaker("Sophie Martin"), make_speaker("Jean Roy")],
                     tags=["mednumsavoirs", "médiation"], language="fr", licence="CC-BY-4.0",
                     summary="<p>Un <em>fablab</em> en bibliothèque</p>", video_url="https://video.example/1")
    make_talk("Brouillon", event=event, status=Status.DRAFT)
    make_talk("Événement brouillon", event=make_event(status=Status.DRAFT))
    db.session.commit()
    return talk


def test_list_records_shows_the_public_talks_only_in_oai_dc(oai, fablab):
    document = oai(verb="ListRecords", metadataPrefix="oai_dc")
    assert identifiers(document) == [f"oai:{HOST}:talk/{fablab.id}"]
    dc = document.find(".//oai_dc:dc", NS)

    def values(name):
        return [element.text for element in dc.iterfind(f"dc:{name}", NS)]

    assert values("title") == ["Le fablab"]  # the character XML 1.0 forbids is gone
    assert values("creator") == ["Sophie Martin", "Jean Roy"]
    assert values("subject") == ["mednumsavoirs", "médiation"]
    assert dc.find("dc:subject", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert values("description") == ["Un fablab en bibliothèque"]
    assert values("rights") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert values("identifier") == [f"http://127.0.0.1:8000/talks/{fablab.slug}"]
    assert values("relation") == ["http://127.0.0.1:8000/events/journee-mednum", "https://video.example/1"]
    assert values("type") == ["Text", "MovingImage", "Event"]
    assert values("publisher") == ["INET"] and values("coverage") == ["Lyon"] and values("language") == ["fr"]
    assert values("date") == ["2016-10-05"] and values("format") == ["text/html"]
    specs = [element.text for element in document.iterfind(".//oai:header/oai:setSpec", NS)]
    assert sorted(specs) == ["event:journee-mednum", "tag:mednumsavoirs", "tag:m~C3~A9diation"]


def test_post_answers_as_get_without_a_csrf_token(oai, fablab):
    assert identifiers(oai("POST", verb="ListIdentifiers", metadataPrefix="oai_dc")) == [
        f"oai:{HOST}:talk/{fablab.id}"]


def test_get_record_and_its_formats(oai, fablab):
    identifier = f"oai:{HOST}:talk/{fablab.id}"
    document = oai(verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert document.findtext(".//dc:title", namespaces=NS) == "Le fablab"
    formats = oai(verb="ListMetadataFormats", identifier=identifier)
    assert formats.findtext(".//oai:metadataPrefix", namespaces=NS) == "oai_dc"


def test_sets_list_events_and_tags_and_select_records(oai, fablab, db, make_talk):
    other = make_talk("Autre", tags=["autre"])
    db.session.commit()
    specs = [element.text for element in oai(verb="ListSets").iterfind(".//oai:setSpec", NS)]
    assert {"event", "tag", "event:journee-mednum", "tag:mednumsavoirs", "tag:autre"} <= set(specs)
    assert identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="tag:mednumsavoirs")) == [
        f"oai:{HOST}:talk/{fablab.id}"]
    assert identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="tag")) == [
        f"oai:{HOST}:talk/{fablab.id}", f"oai:{HOST}:talk/{other.id}"]


@pytest.mark.parametrize("arguments, code", [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "extra": "1"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": "oai:127.0.0.1:talk/1"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2016-13-45"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-02", "until": "2020-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01", "until": "2021-01-01T00:00:00Z"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "forged"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListRecords", "metadataPrefix": "marc 21"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "tag:é"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": "oai:127.0.0.1:talk/999999", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": "oai:other.host:talk/1", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "talk/1"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "tag:nothing"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
])
def test_each_error_is_the_code_the_protocol_calls_for(oai, fablab, arguments, code):
    from urllib.parse import urlencode

    from tests.oai.oai_xml import validated

    response = oai.client.get("/oai?" + urlencode(arguments, doseq=True))
    assert response.status_code == 200
    assert error_code(validated(response.data)) == code


def test_the_widest_dates_select_everything(oai, fablab):
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="9999-12-31T23:59:59Z",
                   **{"from": "0001-01-01T00:00:00Z"})
    assert identifiers(document) == [f"oai:{HOST}:talk/{fablab.id}"]


def test_bad_arguments_echo_no_attribute_in_request(oai):
    document = oai(verb="ListRecords")
    assert error_code(document) == "badArgument"
    assert dict(document.find("oai:request", NS).attrib) == {}


def test_any_query_gets_a_schema_valid_answer(app, client, fablab):
    """Whatever the arguments (names, repeats, odd dates, odd characters), a 200 that OAI-PMH.xsd accepts."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.oai.oai_xml import validated

    names = st.sampled_from(["verb", "metadataPrefix", "from", "until", "set", "identifier", "resumptionToken", "x"])
    values = st.one_of(st.sampled_from(["Identify", "ListRecords", "ListIdentifiers", "ListSets", "GetRecord",
                                        "ListMetadataFormats", "oai_dc", "0001-01-01", "9999-12-31T23:59:59Z",
                                        "2016-02-30", "event", "tag:mednumsavoirs", f"oai:{HOST}:talk/{fablab.id}"]),
                       st.text(max_size=12))

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(names, values), max_size=5))
    def check(pairs):
        from werkzeug.datastructures import MultiDict

        response = client.post("/oai", data=MultiDict(pairs))
        assert response.status_code == 200
        validated(response.data)

    check()
