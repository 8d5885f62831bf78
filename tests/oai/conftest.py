"""Fixtures of the OAI-PMH tests."""
import pytest

from tests.oai.oai_xml import validated


@pytest.fixture
def oai(client):
    """oai(verb=..., **arguments) -> the validated XML document of a GET /oai."""

    def get(method="GET", **arguments):
        response = client.open("/oai", method=method, **({"data": arguments} if method == "POST"
                                                            else {"query_string": arguments}))
        assert response.status_code == 200
        assert response.mimetype == "text/xml"
        return validated(response.data)

    get.client = client
    return get
