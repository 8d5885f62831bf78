"""`flask import pyvideo`: the shipped PyCon FR data, idempotence, merging, bad records."""
import json
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.core.rich_text import set_rich_text
from webapp.core.visibility import public_speakers, public_talks
from webapp.importing.operations import import_pyvideo
from webapp.importing.pyvideo_reading import scan_pyvideo_tree
from webapp.importing.pyvideo_records import (
    PYVIDEO_DATA_DIR,
    duration_minutes,
    language_code,
    licence_id,
    parse_recorded,
    pick_video_url,
)
from webapp.models import Event, Speaker, SpeakerAlias, Status, Tag, Talk, TalkSpeaker, talk_tags

SHIPPED_EVENTS, SHIPPED_TALKS, SHIPPED_SPEAKERS = 10, 493, 380


def run_import(db, root: Path):
    report = import_pyvideo(scan_pyvideo_tree(root))
    db.session.commit()
    return report


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def video_record(title="Retour d'expérience", **fields) -> dict:
    record = {"title": title, "description": "Une description.", "speakers": ["Alice Martin"],
              "recorded": "2016-10-05", "language": "fra", "duration": 1500,
              "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=abc"}]}
    record.update(fields)
    return record


def write_event(root: Path, folder: str, talks: dict, category=None) -> Path:
    """talks: file stem -> record (a dict, or raw text written as is)."""
    videos = root / folder / "videos"
    videos.mkdir(parents=True, exist_ok=True)
    category = category if category is not None else {"title": folder.replace("-", " ").title()}
    (root / folder / "category.json").write_text(json.dumps(category), encoding="utf-8")
    for stem, record in talks.items():
        text = record if isinstance(record, str) else json.dumps(record)
        (videos / f"{stem}.json").write_text(text, encoding="utf-8")
    return root


def talk_by_key(db, key: str) -> Talk:
    return db.session.scalar(select(Talk).where(Talk.import_key == key))


# The shipped data ------------------------------------------------------------------------

def test_shipped_data_imports_every_event_talk_and_speaker(db):
    report = run_import(db, PYVIDEO_DATA_DIR)
    assert (report.events_created, report.talks_created) == (SHIPPED_EVENTS, SHIPPED_TALKS)
    assert report.speakers_created == SHIPPED_SPEAKERS
    assert report.skipped == []
    assert (count(db, Event), count(db, Talk), count(db, Speaker)) == (
        SHIPPED_EVENTS, SHIPPED_TALKS, SHIPPED_SPEAKERS)
    assert len(db.session.scalars(public_talks()).all()) == SHIPPED_TALKS
    assert len(db.session.scalars(public_speakers()).all()) == SHIPPED_SPEAKERS
    languages = dict(db.session.execute(
        select(Talk.language, func.count()).group_by(Talk.language)).all())
    assert languages == {"fr": 394, "en": 98, "es": 1}
    event = db.session.scalar(select(Event).where(Event.import_key == "pycon-fr-2016"))
    assert (event.slug, event.title, event.status) == ("pycon-fr-2016", "PyCon FR 2016",
                                                       Status.PUBLISHED)
    assert (event.start_date, event.end_date) == (date(2016, 10, 15), date(2016, 10, 16))


def test_shipped_talk_fields(db):
    run_import(db, PYVIDEO_DATA_DIR)
    talk = talk_by_key(db, "ajoutez-de-lobservabilite-a-votre-application-django-lionel-"
                           "porcheron-pierre-fersing")
    assert talk.title == "Ajoutez de l'observabilité à votre application Django"
    assert [s.name for s in talk.speakers] == ["Lionel Porcheron", "Pierre Fersing"]
    # YouTube, not the mp4 listed first
    assert talk.video_url == "https://www.youtube.com/watch?v=3Nlu8j1b_ss"
    assert (talk.language, talk.duration_minutes, talk.given_on) == ("fr", 26, date(2019, 11, 2))
    assert talk.starts_at is None
    assert talk.published_at == datetime(2019, 11, 2, tzinfo=timezone.utc)
    assert talk.summary.startswith("<p>Avant, on monitorait les serveurs")
    old = talk_by_key(db, "ansible-de-lorchestration-a-la-gestion-de-confi")
    assert old.slug == "ansible-de-lorchestration-a-la-gestion-de-confi"  # the record's own slug
    assert "Administrateur" in old.summary  # empty description: the summary field is used


def test_shipped_milliseconds_durations_are_read_as_milliseconds(db):
    run_import(db, PYVIDEO_DATA_DIR)
    assert talk_by_key(db, "a-la-decouverte-du-bytecode-cpython").duration_minutes == 27
    assert db.session.scalar(select(func.max(Talk.duration_minutes))) < 24 * 60


def test_second_import_changes_nothing(db):
    run_import(db, PYVIDEO_DATA_DIR)
    tables = (Event, Talk, Speaker, Tag, TalkSpeaker, talk_tags)
    counts = [count(db, table) for table in tables]
    stamps = {model: dict(db.session.execute(select(model.id, model.updated_at)).all())
              for model in (Event, Talk, Speaker)}
    db.session.expire_all()
    report = import_pyvideo(scan_pyvideo_tree(PYVIDEO_DATA_DIR))
    assert not db.session.dirty and not db.session.new
    db.session.commit()
    assert not report.changed_anything
    assert (report.events_unchanged, report.talks_unchanged) == (SHIPPED_EVENTS, SHIPPED_TALKS)
    assert [count(db, table) for table in tables] == counts
    for model, before in stamps.items():
        assert dict(db.session.execute(select(model.id, model.updated_at)).all()) == before


# Re-import of a changed tree -------------------------------------------------------------

def test_changed_record_updates_only_that_talk(db, tmp_path):
    talks = {"one": video_record("Premier", speakers=["Alice Martin", "Bob Durand"]),
             "two": video_record("Second")}
    write_event(tmp_path, "journee-2016", talks)
    run_import(db, tmp_path)
    untouched_stamp = talk_by_key(db, "two").updated_at
    talks["one"] = video_record("Premier, revu", speakers=["Bob Durand", "Alice Martin"],
                                tags=["Médiation"])
    write_event(tmp_path, "journee-2016", talks)
    report = run_import(db, tmp_path)
    assert (report.talks_updated, report.talks_unchanged, report.talks_created) == (1, 1, 0)
    talk = talk_by_key(db, "one")
    assert talk.title == "Premier, revu"
    assert [s.name for s in talk.speakers] == ["Bob Durand", "Alice Martin"]
    assert [t.name for t in talk.tags] == ["médiation"]
    assert talk_by_key(db, "two").updated_at == untouched_stamp
    assert count(db, Speaker) == 2


def test_speaker_change_alone_moves_updated_at(db, tmp_path):
    write_event(tmp_path, "journee", {"one": video_record(speakers=["Alice Martin"])})
    run_import(db, tmp_path)
    before = talk_by_key(db, "one").updated_at
    write_event(tmp_path, "journee", {"one": video_record(speakers=["Chloé Petit"])})
    report = run_import(db, tmp_path)
    talk = talk_by_key(db, "one")
    assert report.talks_updated == 1 and report.speakers_created == 1
    assert [s.name for s in talk.speakers] == ["Chloé Petit"]
    assert talk.updated_at > before


def test_a_reimport_keeps_the_markdown_of_a_description_it_leaves_alone(db, tmp_path):
    write_event(tmp_path, "journee", {"one": video_record(description="Une *première* version.")})
    run_import(db, tmp_path)
    talk = talk_by_key(db, "one")
    assert (talk.summary, talk.summary_source) == ("<p>Une *première* version.</p>", None)
    set_rich_text(talk, "summary", "Une \\*première\\* version.")  # saved unchanged from the form
    db.session.commit()
    assert talk.summary == "<p>Une *première* version.</p>"  # the page, the index and the log: unchanged
    assert run_import(db, tmp_path).talks_unchanged == 1
    assert talk_by_key(db, "one").summary_source == "Une \\*première\\* version."


def test_a_reimport_that_rewrites_a_description_drops_the_markdown_it_replaces(db, tmp_path):
    write_event(tmp_path, "journee", {"one": video_record(description="Première version.")})
    run_import(db, tmp_path)
    set_rich_text(talk_by_key(db, "one"), "summary", "Revue par *l'organisatrice*.")
    db.session.commit()
    write_event(tmp_path, "journee", {"one": video_record(description="Seconde version.")})
    run_import(db, tmp_path)
    talk = talk_by_key(db, "one")
    assert (talk.summary, talk.summary_source) == ("<p>Seconde version.</p>", None)  # no stale Markdown


# Speakers --------------------------------------------------------------------------------

def test_speakers_with_the_same_normalised_name_are_one_speaker(db, tmp_path):
    write_event(tmp_path, "jour-1", {"a": video_record("A", speakers=["Émilie Dupont"])})
    write_event(tmp_path, "jour-2",
                {"b": video_record("B", speakers=["emilie  dupont", "Émilie DUPONT"])})
    report = run_import(db, tmp_path)
    speaker = db.session.scalar(select(Speaker))
    assert report.speakers_created == 1 and count(db, Speaker) == 1
    assert (speaker.name, speaker.slug, speaker.sort_key) == ("Émilie Dupont", "emilie-dupont",
                                                              "dupont emilie")
    assert count(db, TalkSpeaker) == 2


def test_existing_speakers_and_aliases_are_reused_across_runs(db, tmp_path, make_speaker):
    sophie = make_speaker("Sophie Perrusson")
    claire = make_speaker("Claire Dubois")
    db.session.add(SpeakerAlias(speaker=claire, name="Claire Martin", name_key="claire martin"))
    db.session.commit()
    write_event(tmp_path, "jour",
                {"a": video_record(speakers=["SOPHIE PERRUSSON", "Claire Martin"])})
    report = run_import(db, tmp_path)
    assert report.speakers_created == 0
    assert talk_by_key(db, "a").speakers == [sophie, claire]


# Bad records -----------------------------------------------------------------------------

def test_malformed_records_are_reported_and_skipped(db, runner, tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(PYVIDEO_DATA_DIR / "pycon-fr-2013", tree / "pycon-fr-2013")
    write_event(tree, "pycon-fr-2013", {
        "broken": '{"title": "Sans fin", ',
        "no-title": {k: v for k, v in video_record().items() if k != "title"},
        "blank-title": video_record("   "),
        "bad-date": video_record(recorded="2019-13-45"),
        "no-video": video_record(videos=[]),
    }, category={"title": "PyCon FR 2013", "description": ""})
    result = runner.invoke(args=["import", "pyvideo", str(tree)])
    assert result.exit_code == 0, result.output
    assert "Talks: 33 (33 created, 0 updated, 0 unchanged)" in result.output
    assert "Records skipped: 5" in result.output
    expected = {
        "broken.json: invalid JSON": "line 1",
        "no-title.json: schema violation at record": "'title' is a required property",
        "blank-title.json: title is empty": "",
        "bad-date.json: recorded: '2019-13-45' is not a valid date": "",
        "no-video.json: schema violation at videos": "",
    }
    for start, detail in expected.items():
        line = next(x for x in result.stderr.splitlines() if start in x)
        assert line.strip().startswith("pycon-fr-2013/videos/") and detail in line
    assert count(db, Talk) == 33


def test_reading_in_worker_processes_gives_the_same_import(db, runner, tmp_path):
    shutil.copytree(PYVIDEO_DATA_DIR / "pycon-fr-2013", tmp_path / "pycon-fr-2013")
    write_event(tmp_path, "pycon-fr-2013", {"broken": "[1, 2"},
                category={"title": "PyCon FR 2013", "description": ""})
    result = runner.invoke(args=["import", "pyvideo", "--workers", "2", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Talks: 33 (33 created, 0 updated, 0 unchanged)" in result.output
    assert "pycon-fr-2013/videos/broken.json: invalid JSON" in result.stderr
    again = import_pyvideo(scan_pyvideo_tree(tmp_path), workers=0)
    assert (again.talks_unchanged, again.talks_updated, len(again.skipped)) == (33, 0, 1)
    keys = sorted(db.session.scalars(select(Talk.import_key)))
    assert keys == sorted(p.stem for p in (tmp_path / "pycon-fr-2013" / "videos").glob("*.json")
                          if p.stem != "broken")


def test_bad_category_skips_its_event_only(db, tmp_path):
    write_event(tmp_path, "good", {"a": video_record()})
    write_event(tmp_path, "bad", {"b": video_record()}, category={"name": "no title"})
    report = run_import(db, tmp_path)
    assert [e.import_key for e in db.session.scalars(select(Event))] == ["good"]
    [skipped] = report.skipped
    assert skipped.path == tmp_path / "bad" / "category.json"
    assert "title" in skipped.reason and "its 1 talk files were skipped" in skipped.reason


def test_missing_directory_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["import", "pyvideo", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_directory_without_events_is_an_error(db, runner, tmp_path):
    (tmp_path / "notes").mkdir()
    result = runner.invoke(args=["import", "pyvideo", str(tmp_path)])
    assert result.exit_code == 1
    assert "no pyvideo event folder" in result.output
    assert count(db, Event) == 0


def test_cli_prints_a_summary_and_commits(db, runner, tmp_path):
    write_event(tmp_path, "jour", {"a": video_record("A"), "b": video_record("B")})
    first = runner.invoke(args=["import", "pyvideo", str(tmp_path)])
    second = runner.invoke(args=["import", "pyvideo", str(tmp_path)])
    assert first.exit_code == second.exit_code == 0
    assert "Events: 1 (1 created, 0 updated, 0 unchanged)" in first.output
    assert "Talks: 2 (2 created, 0 updated, 0 unchanged)" in first.output
    assert "Speakers created: 1" in first.output
    assert "Talks: 2 (0 created, 0 updated, 2 unchanged)" in second.output
    db.session.expire_all()
    assert count(db, Talk) == 2


# Mapping ---------------------------------------------------------------------------------

def test_programme_order_dates_and_slugs(db, tmp_path):
    write_event(tmp_path, "jour", {
        "late": video_record("Zèbre", recorded="2016-10-05T15:00:00+02:00"),
        "early": video_record("Yack", recorded="2016-10-05T09:00:00"),
        "untimed": video_record("Abeille", recorded="2016-10-05"),
        "next-day": video_record("Aardvark", recorded="2016-10-06"),
        "same-title": video_record("Yack", recorded="2016-10-06"),
    })
    run_import(db, tmp_path)
    event = db.session.scalar(select(Event))
    assert [t.import_key for t in event.talks] == ["early", "late", "untimed", "next-day",
                                                   "same-title"]
    assert (event.start_date, event.end_date) == (date(2016, 10, 5), date(2016, 10, 6))
    assert talk_by_key(db, "late").starts_at == datetime(2016, 10, 5, 13, tzinfo=timezone.utc)
    assert talk_by_key(db, "early").starts_at == datetime(2016, 10, 5, 9, tzinfo=timezone.utc)
    assert {talk_by_key(db, k).slug for k in ("early", "same-title")} == {"yack", "yack-2"}


def test_category_dates_and_url_win_over_derived_ones(db, tmp_path):
    category = {"title": "Journée", "start_date": "2016-10-04", "end_date": "2016-10-05",
                "url": "https://example.org/journee", "description": "Une journée <b>riche</b>."}
    write_event(tmp_path, "jour", {"a": video_record()}, category=category)
    run_import(db, tmp_path)
    event = db.session.scalar(select(Event))
    assert (event.start_date, event.end_date) == (date(2016, 10, 4), date(2016, 10, 5))
    assert event.website_url == "https://example.org/journee"
    assert event.description == "<p>Une journée riche.</p>"  # tags stripped


def test_tags_are_normalised_and_shared(db, tmp_path):
    write_event(tmp_path, "jour", {"a": video_record("A", tags=["#Bibliothèques", "Django"]),
                                   "b": video_record("B", tags=["bibliothèques"])})
    run_import(db, tmp_path)
    assert sorted(db.session.scalars(select(Tag.name))) == ["bibliothèques", "django"]
    assert [t.name for t in talk_by_key(db, "a").tags] == ["bibliothèques", "django"]


@pytest.mark.parametrize(("raw", "minutes"), [
    (1589, 26), (1595, 27), (150, 3), (20, 1), (1595000, 27), (761680, 13),
    (86400, 1440), (0, None), (-5, None), (None, None), (10**11, None),
])
def test_duration_rule(raw, minutes):
    assert duration_minutes(raw) == minutes


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_durations_are_unknown_or_at_most_a_day(raw):
    minutes = duration_minutes(raw)
    assert minutes is None or 1 <= minutes <= 24 * 60


@pytest.mark.parametrize(("raw", "code"), [
    ("fra", "fr"), ("eng", "en"), ("FRA", "fr"), ("spa", "es"), ("deu", "de"), ("fr", "fr"),
    ("xyz", None), ("", None), (None, None),
])
def test_language_mapping(raw, code):
    assert language_code(raw) == code


@pytest.mark.parametrize(("text", "spdx"), [
    ("Creative Commons Attribution license (reuse allowed)", "CC-BY-3.0"),
    ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
    ("cc-by-nc-nd 3.0", "CC-BY-NC-ND-3.0"),
    ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
    ("CC0", "CC0-1.0"),
    ("CC BY", None), ("Creative Commons", None), ("All rights reserved", None), ("", None),
    (None, None),
])
def test_licence_mapping(text, spdx):
    assert licence_id(text) == spdx


def test_video_url_prefers_a_web_player():
    mp4 = {"type": "mp4", "url": "https://dl.example.org/talk.mp4"}
    peertube = {"type": "peertube", "url": "https://tube.example.org/w/1"}
    youtube = {"type": "youtube", "url": "https://www.youtube.com/watch?v=x"}
    assert pick_video_url([mp4, peertube, youtube]) == youtube["url"]
    assert pick_video_url([mp4, peertube]) == peertube["url"]
    assert pick_video_url([mp4]) == mp4["url"]
    assert pick_video_url([{"type": "youtube", "url": "ftp://x"}, mp4]) == mp4["url"]


def test_recorded_time_becomes_an_aware_utc_start():
    assert parse_recorded("2019-11-02") == (date(2019, 11, 2), None)
    day, start = parse_recorded("2019-11-02T00:30:00+01:00")
    assert day == date(2019, 11, 2)  # the day as recorded, in the event's own time
    assert start == datetime(2019, 11, 1, 23, 30, tzinfo=timezone.utc)
    assert parse_recorded(None) == (None, None)
