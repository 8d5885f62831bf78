"""The API tests' archive (public rows beside drafts of every kind) and `checked`, which validates
every answer against the OpenAPI document the app serves."""
from datetime import date, datetime, timezone

import jsonschema
import pytest

from webapp.models import Status
from webapp.openapi.document import openapi_path

PUBLIC_TALKS = 7
SITE = "https://causeries.example.org"  # not the host the test client sends: URLs come from SITE_URL


@pytest.fixture
def app_config():
    return {"SITE_URL": SITE}


@pytest.fixture
def archive(db, make_event, make_talk, make_speaker):
    """A public event with PUBLIC_TALKS public talks and a draft one; a draft event with a
    published talk. Speakers and tags that only drafts carry must never show."""
    event = make_event("Journée médiation", slug="journee-mediation", tags=["mednum"], place="Lyon")
    hidden_event = make_event("Journée en préparation", slug="journee-brouillon", status=Status.DRAFT)
    sophie, julien = make_speaker("Sophie Perrusson", slug="sophie-perrusson"), make_speaker("Julien", slug="julien")
    only_drafts, only_hidden_event = make_speaker("Brouillon", slug="brouillon"), make_speaker("Cachée", slug="cachee")
    talks = [make_talk(f"Exposé {n}", slug=f"expose-{n}", event=event, speakers=[sophie] if n % 2 else [julien, sophie],
                       tags=["mednum", "robotique"] if n < 3 else ["mednum"], language="fr" if n % 3 else "en",
                       summary=f"<p>Résumé <strong>{n}</strong> &amp; suite</p>", licence="CC-BY-4.0",
                       given_on=date(2016, 10, 5), starts_at=datetime(2016, 10, 5, 9 + n, tzinfo=timezone.utc),
                       duration_minutes=30, video_url="https://video.example.org/v.mp4")
             for n in range(PUBLIC_TALKS)]
    make_talk("Brouillon", slug="expose-brouillon", event=event, status=Status.DRAFT, speakers=[only_drafts],
              tags=["secret"])
    make_talk("Dans un brouillon", slug="expose-evenement-brouillon", event=hidden_event,
              speakers=[only_hidden_event], tags=["cache"])
    db.session.commit()
    return {"event": event, "talks": talks, "speakers": [sophie, julien]}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _response_schema(document: dict, path: str, method: str, status: int) -> dict | None:
    operation = document["paths"][path][method]
    described = operation["responses"].get(str(status))
    assert described is not None, f"{method.upper()} {path}: status {status} is not in the document"
    content = described.get("content", {}).get("application/json")
    return content["schema"] if content else None


@pytest.fixture
def checked(app, client, document):
    """checked(path, headers={...}) -> the response, after validating its status and JSON body against the
    document's operation for that path (found through the app's own url_map)."""
    adapter = app.url_map.bind("localhost")

    def get(path: str, method: str = "GET", headers: dict | None = None):
        response = client.open(path, method=method, headers=headers or {})
        rule, _ = adapter.match(path.split("?")[0], method=method, return_rule=True)
        schema = _response_schema(document, openapi_path(rule), method.lower(), response.status_code)
        if schema is not None:
            root = {"allOf": [schema], "components": document["components"]}
            jsonschema.validate(response.get_json(), root, cls=jsonschema.Draft202012Validator,
                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        return response

    return get
