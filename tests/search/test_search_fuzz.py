"""No query string makes /search or /api/v1/search answer a server error."""
from urllib.parse import quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMETERS = ["q", "tag", "event", "year", "speaker", "lang", "has_slides", "sort", "page"]
QUERY_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
SYNTAX = st.sampled_from(['"', "-", " OR ", "title:", "speaker:", "tag:", "event:", "#", "*", "(",
                          ")", "~", "^", "\\", "'", "’", "AND", "NOT", ":", "\x00", "%"])
QUERY_TEXT = st.lists(st.one_of(st.text(QUERY_ALPHABET, max_size=12), SYNTAX), max_size=12).map("".join)


@pytest.fixture
def indexed(db, make_talk, make_speaker, drain):
    speaker = make_speaker("Sophie Perrusson")
    make_talk("Politique de médiation numérique", speakers=[speaker], tags=["mednumsavoirs"],
              summary="<p>Blogs thématiques et bilan chiffré.</p>")
    db.session.commit()
    drain()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERY_TEXT)
def test_no_query_text_is_a_server_error(client, indexed, q):
    for path in ("/search", "/api/v1/search", "/api/v1/suggest"):
        response = client.get(path, query_string={"q": q})
        assert response.status_code in (200, 400, 404), (path, q, response.status_code)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), st.text(QUERY_ALPHABET, max_size=20),
                              max_size=5))
def test_no_parameter_value_is_a_server_error(client, indexed, params):
    query = urlencode(params)
    for path in ("/search", "/api/v1/search"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=40))
def test_undecodable_bytes_in_the_query_string_are_not_a_server_error(client, indexed, raw):
    response = client.get("/search?q=" + quote_from_bytes(raw) + "&tag=" + quote_from_bytes(raw))
    assert response.status_code in (200, 400, 404)
