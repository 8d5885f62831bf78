"""citeproc-py's internals stay behind one fence: webapp/catalogue/citation/citeproc_internals.py
(HOUSE.md rule 9). It replaces one method of citeproc-py 0.11.1; these tests fail on the first byte
of that method, or of the module that calls it, that differs from what was verified, and whenever
a reference formatted through the fence differs from citeproc-py's own."""
import hashlib
import inspect
import logging
import tomllib
from datetime import date
from pathlib import Path

import pytest
from citeproc import model

from tests.catalogue import citation_fixtures
from webapp.catalogue.citation import citable_talk, citeproc_internals
from webapp.catalogue.citation.citeproc_internals import citeproc_as_released
from webapp.catalogue.citation.references import formatted_references

hard_talk = citation_fixtures.hard_talk  # the fixture

VERIFIED_XPATH_SEARCH = ('    def xpath_search(self, expression):\n'
                         '        return self.xpath(expression, namespaces=self.nsmap)\n')
# citeproc/model.py as verified: every caller of xpath_search, and the one change it makes to a style
VERIFIED_MODEL_SHA256 = "7b569db7dbc0ecd69d42ff54873004634f0f0b5cb3949629764013a4ad7fbb09"


def test_the_fence_was_verified_for_the_pinned_citeproc():
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [spec.split(" ")[0] for spec in pyproject["project"]["dependencies"] if spec.startswith("citeproc-py==")]
    assert pins == [f"citeproc-py=={citeproc_internals.VERIFIED_VERSION}"]
    assert citeproc_internals.INSTALLED is True
    assert model.CitationStylesElement.xpath_search is citeproc_internals.kept_xpath_search


def test_what_the_fence_replaces_is_byte_for_byte_what_was_verified():
    assert inspect.getsource(citeproc_internals.ORIGINAL_XPATH_SEARCH) == VERIFIED_XPATH_SEARCH
    assert hashlib.sha256(Path(model.__file__).read_bytes()).hexdigest() == VERIFIED_MODEL_SHA256


def test_another_citeproc_version_is_used_as_released(monkeypatch, caplog):
    monkeypatch.setattr(citeproc_internals, "INSTALLED_VERSION", "0.12.0")
    with citeproc_as_released(), caplog.at_level(logging.WARNING):
        assert citeproc_internals.install() is False
        assert model.CitationStylesElement.xpath_search is citeproc_internals.ORIGINAL_XPATH_SEARCH
    assert "citeproc-py 0.12.0 is not the verified 0.11.1" in caplog.text


@pytest.fixture
def talks_hard_to_cite(db, hard_talk, make_talk, make_speaker, make_event):
    """The hard talk, a talk without speakers, one with one speaker and no date, one with four."""
    undated = make_event("Rencontres sans date", start_date=None)
    return [hard_talk, make_talk("Sans intervenant", event=hard_talk.event),
            make_talk("Une seule voix", event=undated, speakers=[make_speaker("Madonna")]),
            make_talk("Quatre voix", event=make_event("Forum", start_date=date(2021, 6, 1), place="Lyon"),
                      speakers=[make_speaker(n) for n in ("Anne Martin", "Paul Durand", "Zoé Leroy", "Li Wei")])]


@pytest.mark.usefixtures("compiled_translations")
@pytest.mark.parametrize("language", ["fr", "en"])
def test_references_are_the_same_through_the_fence(app, talks_hard_to_cite, language):
    def references():
        with app.test_request_context(headers={"Accept-Language": language}):
            return [[(ref.label, ref.text) for ref in formatted_references(citable_talk(talk))]
                    for talk in talks_hard_to_cite]

    through_the_fence = references()
    with citeproc_as_released():
        as_released = references()
    assert through_the_fence == as_released
    assert references() == as_released  # answered from what the fence kept
    assert [len(refs) for refs in as_released] == [2, 1, 2, 2]  # no APA reference without speakers
