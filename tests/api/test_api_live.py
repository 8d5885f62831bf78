"""The API under gunicorn: a property-based run of schemathesis over every GET operation of the served
OpenAPI document (no 5xx, every answer as documented), and the README's curl examples, run as written.

The run is bounded and reproducible: EXAMPLES cases per operation and generation mode, drawn with a
fixed seed (hypothesis' derandomize), plus one case per operation naming a row that exists, so
that every operation answers at least one 2xx as well as its refusals.
"""
import json
import re
import shlex
import subprocess
import textwrap
import time
import urllib.request
from collections import defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from stats_server import BIN, GENEROUS_SECONDS, ROOT, answers, server_environment, start_gunicorn, stop_gunicorn

EXAMPLES = 25
RUN_SECONDS = 60
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A row that exists for each path parameter, so that detail operations answer 200 too.
EXISTING = {"slug": {"/api/v1/talks/{slug}": "expose-1", "/api/v1/talks/{slug}/slides": "expose-1",
                     "/api/v1/events/{slug}": "journee", "/api/v1/speakers/{slug}": "sophie-perrusson",
                     "/api/v1/paths/{slug}": "parcours"},
            "tag": {"/api/v1/tags/{tag}": "mednumsavoirs"}}

SEED_PROGRAM = textwrap.dedent("""
    from webapp import create_app
    from webapp.catalogue.operations.tags import get_or_create_tags
    from webapp.core.naming import person_name_key, person_sort_key
    from webapp.extensions import db
    from webapp.models import CuratedPath, CuratedPathItem, Event, Speaker, Status, Talk, TalkSpeaker

    def speaker(name, slug):
        return Speaker(slug=slug, name=name, name_key=person_name_key(name), sort_key=person_sort_key(name), links=[])

    app = create_app({"SEARCH_WRITER": "off", "SLIDES_WORKER": "off"})
    with app.app_context():
        event = Event(slug="journee", title="Journée d'étude", status=Status.PUBLISHED)
        draft = Event(slug="brouillon", title="Brouillon", status=Status.DRAFT)
        sophie, julien = speaker("Sophie Perrusson", "sophie-perrusson"), speaker("Julien Palard", "julien-palard")
        for n in range(5):
            talk = Talk(slug=f"expose-{n}", title=f"Exposé {n}", event=event, status=Status.PUBLISHED, position=n,
                        language="fr", summary=f"<p>Résumé {n}</p>", licence="CC-BY-4.0",
                        tags=get_or_create_tags(["mednumsavoirs", f"theme-{n % 2}"]))
            talk.speaker_links = [TalkSpeaker(speaker=sophie if n % 2 else julien, position=0)]
            db.session.add(talk)
        db.session.add(Talk(slug="expose-cache", title="Caché", event=draft, status=Status.PUBLISHED))
        path = CuratedPath(slug="parcours", title="Parcours", status=Status.PUBLISHED)
        path.items = [CuratedPathItem(talk=talk, position=0, note="À lire.")]
        db.session.add(path)
        db.session.commit()
""")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """gunicorn with 2 workers on a migrated, seeded and indexed database: its base URL."""
    folder = tmp_path_factory.mktemp("api-live")
    env = server_environment(folder)
    for command in (["flask", "--app", "webapp", "db", "upgrade"], ["python", "-c", SEED_PROGRAM],
                    ["flask", "--app", "webapp", "search", "rebuild"]):
        subprocess.run([str(BIN / command[0]), *command[1:]], env=env, cwd=ROOT, check=True, capture_output=True)
    process, base = start_gunicorn(env, folder / "gunicorn.log", workers=2)
    try:
        deadline = time.monotonic() + GENEROUS_SECONDS
        while not answers(base) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert answers(base), (folder / "gunicorn.log").read_text()
        yield base
    finally:
        stop_gunicorn(process)


def _run_operation(operation, base: str, statuses: list[int]) -> None:
    def check(case) -> None:
        response = case.call(base_url=base, timeout=10)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    has_query = any(parameter.location == "query" for parameter in operation.iter_parameters())
    for mode in modes if has_query else modes[:1]:  # any string is a valid path parameter
        strategy = operation.as_strategy(generation_mode=mode)
        run = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                       suppress_health_check=list(HealthCheck))(given(case=strategy)(check))
        run()
    existing = {name: EXISTING[name][operation.path] for name in EXISTING if operation.path in EXISTING[name]}
    check(operation.Case(path_parameters=existing))


def _served_document(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=30) as response:
        return json.load(response)


def test_schemathesis_finds_no_5xx_and_no_answer_outside_the_document(live):
    document = _served_document(live)  # from_url would leave out the operation that serves the document
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    gets = [operation for operation in operations if operation.method.upper() == "GET"]
    statuses = defaultdict(list)
    started = time.monotonic()
    for operation in gets:
        _run_operation(operation, live, statuses[operation.path])
    assert time.monotonic() - started < RUN_SECONDS
    assert sorted(operation.path for operation in gets) == sorted(set(statuses)) == sorted(
        path for path, item in document["paths"].items() if "get" in item)
    for path, seen in statuses.items():
        # generated cases, and ours; an operation without any parameter has one case to generate
        assert len(seen) > (EXAMPLES if path not in ("/api/v1/openapi.json", "/api/v1/paths") else 1), path
        assert any(200 <= status < 300 for status in seen), (path, sorted(set(seen)))
        assert not any(status >= 500 for status in seen), (path, sorted(set(seen)))


def _readme_curl_lines() -> list[str]:
    section = (ROOT / "README.md").read_text().split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("curl ")]


def test_the_readmes_curl_examples_answer(live):
    lines = _readme_curl_lines()
    assert len(lines) >= 4
    for line in lines:
        command = shlex.split(line.replace("https://causeries.example.org", live))
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, (line, result.stderr)
        status = re.findall(r"^HTTP/[\d.]+ (\d+)", result.stdout, re.MULTILINE)
        assert not status or all(code in ("200", "304") for code in status), (line, result.stdout[:500])
