"""A real harvester (oaipmh-scythe) harvests the whole archive from gunicorn through resumption
tokens, while an organiser publishes and withdraws talks between its pages; every answer it
reads is validated against OAI-PMH.xsd on the way."""
import subprocess
import sys
import textwrap

import pytest
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig
from oaipmh_scythe.iterator import OAIResponseIterator
from stats_server import GENEROUS_SECONDS, ROOT, answers, server_environment, start_gunicorn, stop_gunicorn, wait_for

from tests.oai.oai_xml import NS, validated

TALKS, DRAFTS, PAGE_SIZE = 40, 6, 7
SEED = textwrap.dedent(f"""
    import json
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Event, Status, Talk

    app = create_app({{"SEARCH_WRITER": "off", "SLIDES_WORKER": "off"}})
    with app.app_context():
        event = Event(slug="journee", title="Journée d'étude", status=Status.PUBLISHED)
        talks = [Talk(slug=f"expose-{{n}}", title=f"Exposé {{n}}", event=event, status=Status.PUBLISHED)
                 for n in range({TALKS})]
        drafts = [Talk(slug=f"brouillon-{{n}}", title=f"Brouillon {{n}}", event=event) for n in range({DRAFTS})]
        db.session.add_all([event, *talks, *drafts])
        db.session.commit()
        print(json.dumps({{"talks": [t.id for t in talks], "drafts": [t.id for t in drafts]}}))
""")
CHANGE = textwrap.dedent("""
    import sys
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Status, Talk

    app = create_app({"SEARCH_WRITER": "off", "SLIDES_WORKER": "off"})
    with app.app_context():
        db.session.get(Talk, int(sys.argv[1])).status = Status(sys.argv[2])
        db.session.commit()
""")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One server for the module: the full harvest runs first, then the one with changes."""
    import json

    tmp_path = tmp_path_factory.mktemp("oai-site")
    env = server_environment(tmp_path, OAI_PAGE_SIZE=PAGE_SIZE)
    subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    seeded = subprocess.run([sys.executable, "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    process, base = start_gunicorn(env, tmp_path / "gunicorn.log", workers=2)
    try:
        assert wait_for(lambda: answers(base), GENEROUS_SECONDS), "gunicorn did not start"
        yield base, ids, env
    finally:
        stop_gunicorn(process)


def _harvest(base: str, verb_method: str, http_method: str = "GET", between_pages=lambda page: None):
    """Every header of a list, as scythe pages through it; each answer validated first."""
    headers = []
    with Scythe(base + "/oai", http_config=HTTPConfig(http_method=http_method), iterator=OAIResponseIterator) as scythe:
        for page, response in enumerate(getattr(scythe, verb_method)(metadata_prefix="oai_dc")):
            document = validated(response.raw.encode())
            headers += document.findall(".//oai:header", NS)
            between_pages(page)
    return headers


def _talk_ids(headers) -> list[int]:
    return [int(header.findtext("oai:identifier", namespaces=NS).rsplit("/", 1)[1]) for header in headers]


def test_scythe_harvests_every_published_talk_exactly_once(site):
    base, ids, env = site
    headers = _harvest(base, "list_records")
    assert sorted(_talk_ids(headers)) == sorted(ids["talks"])
    assert not any(header.get("status") for header in headers)


def test_exactly_once_while_publishing_during_the_harvest(site):
    base, ids, env = site
    changes = [(ids["drafts"][0], "published"), (ids["talks"][2], "draft"), (ids["drafts"][5], "published"),
               (ids["talks"][30], "draft"), (ids["drafts"][1], "published")]

    def change(page):
        if page < len(changes):
            talk_id, status = changes[page]
            subprocess.run([sys.executable, "-c", CHANGE, str(talk_id), status], env=env, cwd=ROOT, check=True)

    found = _talk_ids(_harvest(base, "list_identifiers", "POST", change))
    assert len(found) == len(set(found))
    assert set(ids["talks"]) - {ids["talks"][2]} <= set(found)  # withdrawn before its page: a tombstone or not
    assert {ids["drafts"][5], ids["drafts"][1]} <= set(found)  # published ahead of the harvest
