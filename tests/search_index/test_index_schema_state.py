"""The schema fingerprint each generation records, and the live generation found stale by it."""
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from search_index import SearchIndex, SearchRequest, fingerprint, schema, writer
from search_index.analysis import name_analyzer
from search_index.fields import FastText

ROOT = Path(__file__).resolve().parents[2]
LABEL_TEXT_FIELDS = ("tags_text_fr", "tags_text_en", "event_text_fr", "event_text_en")
CURRENT_SCHEMA = schema.build_schema  # the variants below start from it while it is patched


def make_talk(number, title, tags=()):
    return {"id": f"talk:{number}", "type": "talk", "slug": f"talk-{number}", "title": title,
            "summary": "", "sections": "", "speakers": ["Ana Lima"], "speaker_slugs": ["ana-lima"],
            "tags": list(tags), "event": "Rencontres", "event_slug": "rencontres", "date": date(2016, 3, 1),
            "language": "fr", "has_slides": False, "slides": [], "version": f"v{number}"}


TALKS = [make_talk(1, "Atelier du samedi", tags=["ludothèques"]), make_talk(2, "Conte numérique")]


def schema_without_label_fields():
    """The schema before tags and event text were indexed through both chains: no such fields."""
    built = CURRENT_SCHEMA()
    for name in LABEL_TEXT_FIELDS:
        built.remove(name)
    return built


def fingerprint_of(monkeypatch, build_schema) -> str:
    """The fingerprint code whose build_schema() is `build_schema` would compute."""
    with monkeypatch.context() as patched:
        patched.setattr(schema, "build_schema", build_schema)
        return fingerprint.schema_fingerprint.__wrapped__()


@pytest.fixture
def old_index(tmp_path, monkeypatch):
    """An index written by code whose schema lacked the label fields (and said so in its fingerprint)."""
    old_fingerprint = fingerprint_of(monkeypatch, schema_without_label_fields)
    with monkeypatch.context() as patched:
        patched.setattr(writer, "build_schema", schema_without_label_fields)
        patched.setattr(writer, "schema_fingerprint", lambda: old_fingerprint)
        SearchIndex(tmp_path).apply(upserts=TALKS)
    return SearchIndex(tmp_path)


def found(index, q) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(q=q)).hits]


def test_the_fingerprint_is_the_same_in_every_process_and_run():
    program = "from search_index.fingerprint import schema_fingerprint; print(schema_fingerprint())"
    printed = {subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
               for seed in ("1", "2", "random")}
    assert printed == {fingerprint.schema_fingerprint()}
    description = fingerprint.canonical_json(fingerprint.schema_description())
    assert " at 0x" not in description and "term_cache" not in description


def test_the_fingerprint_follows_fields_and_analyzers(monkeypatch):
    def with_names_analyzer_for_tags():
        built = CURRENT_SCHEMA()
        built.remove("tags_text_fr")
        built.add("tags_text_fr", FastText(analyzer=name_analyzer()))
        return built

    current = fingerprint.schema_fingerprint()
    assert fingerprint_of(monkeypatch, CURRENT_SCHEMA) == current
    variants = {fingerprint_of(monkeypatch, schema_without_label_fields),
                fingerprint_of(monkeypatch, with_names_analyzer_for_tags)}
    assert len(variants) == 2 and current not in variants


def test_an_index_never_written_is_not_stale(tmp_path):
    state = SearchIndex(tmp_path / "empty").schema_state()
    assert state.generation is None and not state.is_stale


def test_a_new_or_rebuilt_index_is_not_stale(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=TALKS)
    assert not index.schema_state().is_stale
    rebuilt = index.rebuild(TALKS)
    state = index.schema_state()
    assert state.generation == rebuilt and state.built_with == state.expected and not state.is_stale


def test_a_generation_recording_no_fingerprint_is_stale(tmp_path):
    index = SearchIndex(tmp_path)
    index.apply(upserts=TALKS)
    live = index.schema_state().generation
    os.unlink(tmp_path / live / writer.FINGERPRINT_FILE)  # as generations made before they recorded one
    state = index.schema_state()
    assert state.is_stale and state.built_with is None
    assert live in state.reason and "no schema fingerprint" in state.reason
    index.rebuild(TALKS)
    assert not index.schema_state().is_stale


def test_an_index_built_with_another_schema_is_stale_until_rebuilt(old_index):
    state = old_index.schema_state()
    assert state.is_stale and state.built_with not in (None, state.expected)
    assert found(old_index, "conte") == ["talk:2"]  # it keeps answering
    assert found(old_index, "ludothèque") == []     # but words only in a tag are not in it
    old_index.apply(upserts=[make_talk(3, "Jeux en réseau", tags=["ludothèques"])])
    assert old_index.schema_state().is_stale         # writing to it does not make it current
    old_index.rebuild([*TALKS, make_talk(3, "Jeux en réseau", tags=["ludothèques"])])
    assert not old_index.schema_state().is_stale
    assert sorted(found(old_index, "ludothèque")) == ["talk:1", "talk:3"]
