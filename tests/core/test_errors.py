"""Error pages: helpful, translated, never a 500 for bad input; JSON under /api/."""
import pytest
from flask import abort
from lxml import html as lxml_html

pytestmark = pytest.mark.usefixtures("compiled_translations")


def test_unknown_page_is_a_helpful_404_in_french(client):
    response = client.get("/talks/no-such-talk")
    assert response.status_code == 404
    doc = lxml_html.fromstring(response.get_data(as_text=True))
    assert doc.xpath("//h1/text()") == ["Page introuvable"]
    assert set(doc.xpath("//main//a/@href")) >= {"/", "/events/", "/speakers/", "/tags/"}
    assert doc.xpath('//main//form[@action="/search"]//input[@name="q"]')


def test_404_in_english(client):
    response = client.get("/speakers/nobody", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "This page is not in the archive." in response.get_data(as_text=True)


def test_bad_query_string_is_a_400_with_its_own_message(client):
    response = client.get("/events/?page=abc", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The page number must be a whole number from 1" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


def test_unexpected_exception_shows_a_generic_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-crash")
    def crash():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/test-crash", headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body and "secret internals" not in body


def test_abort_with_a_description_shows_it(app):
    @app.get("/test-gone")
    def gone():
        abort(410, description="Retiré à la demande de l’intervenante.")

    response = app.test_client().get("/test-gone")
    assert response.status_code == 410
    assert "Retiré à la demande de l’intervenante." in response.get_data(as_text=True)


def test_method_not_allowed_keeps_the_allow_header(client):
    response = client.post("/events/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.mimetype == "text/html"


def test_control_characters_in_the_path_are_a_404_on_every_database(client):
    for path in ("/events/%00", "/speakers/a%00b", "/talks/%1f", "/tags/%00"):
        assert client.get(path).status_code == 404, path


def test_control_characters_in_query_arguments_are_a_400(client):
    for query in ("page=%00", "letter=%07", "q=a%00b"):
        response = client.get(f"/speakers/?{query}")
        assert response.status_code == 400, query
