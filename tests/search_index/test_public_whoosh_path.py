"""search_index on Whoosh's public API only: what runs on any whoosh3 but the verified one.

SEARCH_INDEX_FORCE_PUBLIC_WHOOSH=1, read when search_index.whoosh_internals is imported, turns
the fast paths off, so these tests run a child Python with it set: a small archive rebuilt (in
one process and in two), written to and searched there must give what it gives here, with one
warning logged; and the whole of tests/search_index must pass there. Where the fast path is off
already (another whoosh3 installed), the suite itself runs on the public path: no child needed.
"""
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from search_index import SearchIndex, SearchRequest, whoosh_internals

ROOT = Path(__file__).resolve().parents[2]
CHILD_SECONDS = 600
QUERIES = ["médiation", "médiation numérique", '"lecture publique"', "library -museum", "Perrusson",
           "atelier OR fablab", "médation", "tag:patrimoine", ""]
CHILD = """
import json, logging, runpy, sys
# PRELUDE
warnings = []
handler = logging.Handler()
handler.emit = lambda record: warnings.append(record.getMessage()) if record.levelno == logging.WARNING else None
logging.getLogger("search_index").addHandler(handler)
module = runpy.run_path(sys.argv[1])
results = module["scenario"](sys.argv[2])
from search_index import whoosh_internals
fast_modules = sorted(name for name in sys.modules if name.startswith(whoosh_internals.__name__ + "."))
print(json.dumps({"results": results, "warnings": warnings, "fast_path": whoosh_internals.FAST_PATH_AVAILABLE,
                  "fast_modules": fast_modules}))
"""
ANOTHER_WHOOSH3 = """
import importlib.metadata
installed = importlib.metadata.version
importlib.metadata.version = lambda name: "3.99.0" if name == "whoosh3" else installed(name)
"""


def talk(number: int, title: str, summary: str, *, tags=("atelier",), language="fr", speakers=("Ana Lima",),
         when=date(2018, 3, 1)) -> dict:
    return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}", "title": title, "summary": summary,
            "sections": f"Bilan de la séance {number}. " + ("La lecture publique, la médiation." if number % 3 == 0
                                                            else "Publique, la lecture ?"), "speakers": list(speakers),
            "speaker_slugs": [name.lower().replace(" ", "-") for name in speakers], "tags": list(tags),
            "event": "Journée d'étude", "event_slug": "journee", "date": when, "language": language,
            "has_slides": number % 2 == 0, "slides": [{"page": 1, "text": f"Diapositive {number} : médiation"}]
            if number % 2 == 0 else [], "version": f"v{number}"}


ARCHIVE = [
    talk(1, "Médiation numérique des savoirs", "Les médiathèques de Levallois ouvrent des blogs.",
         tags=("médiation", "mednumsavoirs"), speakers=("Sophie Perrusson",), when=date(2016, 10, 5)),
    talk(2, "La lecture publique en milieu rural", "Médiation et lecture publique dans les villages."),
    talk(3, "Open data in public libraries", "How a library publishes open data.", language="en",
         tags=("opendata",), when=date(2019, 5, 2)),
    talk(4, "Le fablab de la médiathèque", "Atelier de robotique et de médiation numérique.", tags=("fablab",)),
    talk(5, "Wikipedia in the museum", "A museum and its library invite volunteers.", language="en",
         tags=("wikipedia",), when=date(2021, 1, 1)),
    talk(6, "Numériser les archives", "Numérisation participative du patrimoine.", tags=("patrimoine",),
         language=None, when=date(2014, 6, 1)),
    {"id": "speaker:1", "type": "speaker", "slug": "sophie-perrusson", "name": "Sophie Perrusson", "aliases": [],
     "headline": "Médiation numérique", "organisation": "Médiathèques", "bio": "", "version": "1"},
]
CHANGES = {"upserts": [talk(7, "Médiation culturelle au musée", "Une médiation pour tous les publics.")],
           "deletes": ["talk:4"]}


def answers(index: SearchIndex) -> dict:
    """Everything the contract returns for the queries (scores rounded: equal up to float additions)."""
    found = {}
    for q in QUERIES:
        result = index.search(SearchRequest(q=q))
        found[q] = {"total": result.total, "facets": result.facets, "suggestion": result.suggestion,
                    "hits": [(hit.id, round(hit.score, 9), hit.highlights, hit.slide_page) for hit in result.hits],
                    "speakers": [(speaker["slug"], round(speaker["score"], 9)) for speaker in result.speakers]}
    found["suggest"] = [(s.type, s.label, s.slug) for s in index.suggest("médiat")]
    return found


def scenario(directory: str) -> dict:
    """A rebuild in one process and one in two, then writes, each followed by the same searches."""
    serial, parallel = SearchIndex(Path(directory) / "serial"), SearchIndex(Path(directory) / "parallel")
    serial.rebuild(iter(ARCHIVE), procs=1)
    parallel.rebuild(iter(ARCHIVE), procs=2)
    rebuilt = answers(serial)
    serial.apply(**CHANGES)
    return {"rebuilt": rebuilt, "parallel": answers(parallel), "applied": answers(serial),
            "versions": serial.document_versions(), "doc_count": serial.stats()["doc_count"]}


def on_the_public_path(*args: str, timeout: float = CHILD_SECONDS) -> subprocess.CompletedProcess:
    """A child Python, run from the repository root with the public path forced."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=whoosh_internals.public_path_environment(),
                          capture_output=True, text=True, timeout=timeout)


def child_report(directory: Path, prelude: str = "", forced: bool = True) -> dict:
    """What scenario() gives in a child Python on the public path, and what the child logged."""
    arguments = ("-c", CHILD.replace("# PRELUDE", prelude), __file__, str(directory))
    if forced:
        child = on_the_public_path(*arguments)
    else:
        environment = {name: value for name, value in os.environ.items() if name != whoosh_internals.FORCE_PUBLIC_ENV}
        child = subprocess.run([sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True,
                               text=True, timeout=CHILD_SECONDS)
    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout)
    assert report["fast_path"] is False
    assert report["fast_modules"] == []  # not one module touching Whoosh's internals was imported
    return report


def test_the_public_path_answers_as_the_fast_path_and_warns_once(tmp_path):
    report = child_report(tmp_path / "public")
    assert len(report["warnings"]) == 1
    assert whoosh_internals.INSTALLED_VERSION in report["warnings"][0]
    assert whoosh_internals.VERIFIED_VERSION in report["warnings"][0]
    here = json.loads(json.dumps(scenario(str(tmp_path / "here"))))  # tuples as the child's JSON has them
    assert report["results"] == here
    phrase = here["rebuilt"]['"lecture publique"']
    assert sorted(hit[0] for hit in phrase["hits"]) == ["talk:2", "talk:3", "talk:6"] == sorted(
        hit[0] for hit in report["results"]["parallel"]['"lecture publique"']["hits"])
    assert here["doc_count"] == len(ARCHIVE) and "talk:4" not in here["versions"]


def test_another_whoosh3_turns_the_fast_path_off_by_itself(tmp_path):
    report = child_report(tmp_path / "other", prelude=ANOTHER_WHOOSH3, forced=False)
    assert len(report["warnings"]) == 1
    assert "whoosh3 3.99.0 is installed" in report["warnings"][0]
    assert f"verified for whoosh3 {whoosh_internals.VERIFIED_VERSION}" in report["warnings"][0]
    assert report["results"] == json.loads(json.dumps(scenario(str(tmp_path / "here"))))


def test_the_fence_reads_its_switch_from_the_environment():
    assert whoosh_internals.is_forced_public({"SEARCH_INDEX_FORCE_PUBLIC_WHOOSH": "1"})
    assert not whoosh_internals.is_forced_public({"SEARCH_INDEX_FORCE_PUBLIC_WHOOSH": "0"})
    assert not whoosh_internals.is_forced_public({})
    assert whoosh_internals.public_path_environment({"PATH": "/bin"}) == {
        "PATH": "/bin", "SEARCH_INDEX_FORCE_PUBLIC_WHOOSH": "1"}


@pytest.mark.skipif(not whoosh_internals.FAST_PATH_AVAILABLE,
                    reason="this run is on the public path already (it may be the one this test started)")
def test_the_search_index_tests_pass_on_the_public_path():
    child = on_the_public_path("-m", "pytest", str(Path(__file__).parent), "-q", "-p", "no:cacheprovider")
    assert child.returncode == 0, child.stdout[-5000:] + child.stderr[-2000:]
    assert " passed" in child.stdout and "skipped" in child.stdout  # the fast path's own tests skipped
