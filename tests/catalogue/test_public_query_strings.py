"""No query string, however malformed, makes a public list answer 500."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LIST_URLS = ["/", "/events/", "/events/2016/", "/speakers/", "/tags/", "/tags/x", "/speakers/s-1", "/events/e-1"]


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker):
    speaker = make_speaker("Anne Martin", slug="s-1")
    make_talk(event=make_event(slug="e-1"), speakers=[speaker], tags=["x"])
    db.session.commit()


@pytest.mark.parametrize("query,status", [
    ("page=abc", 400), ("page=-1", 400), ("page=0", 400), ("page=1.5", 400), ("page=%00", 400),
    ("page=" + "9" * 30, 404), ("page=2", 404), ("page=1&page=2", 400), ("page[]=1", 200),
    ("page=", 200), ("page=%EF%BC%92", 400), ("page=1", 200), ("page=0001", 200),
])
def test_events_page_parameter(client, archive, query, status):
    assert client.get(f"/events/?{query}").status_code == status


@pytest.mark.parametrize("query,status", [
    ("letter=a", 200), ("letter=M", 200), ("letter=%23", 200), ("letter=%00", 400), ("letter=ab", 400),
    ("letter=%C3%A9", 400), ("letter=a&letter=b", 400), ("letter=a&page=x", 400),
])
def test_speakers_letter_parameter(client, archive, query, status):
    assert client.get(f"/speakers/?{query}").status_code == status


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(LIST_URLS),
       params=st.lists(st.tuples(st.sampled_from(["page", "letter", "q", "page[]", "x"]),
                                 st.text(max_size=40)), max_size=4))
def test_no_query_string_makes_a_500(client, archive, url, params):
    response = client.get(url, query_string=params)
    assert response.status_code in (200, 301, 400, 404), (url, params, response.status_code)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=60))
def test_raw_query_bytes_never_500(client, archive, raw):
    response = client.get("/speakers/", environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
    assert response.status_code in (200, 400, 404)
