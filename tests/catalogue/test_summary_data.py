"""The summary data the public pages read (counts, the tag cloud, newest-first listings) is kept
current in the transaction of every change: after any sequence of changes, it is what a full
recomputation gives, and what counting the archive with the visibility rules gives."""
import random
import threading
from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from tests.catalogue.summary_steps import STEPS, seed
from webapp.catalogue.home_queries import reading_selection
from webapp.catalogue.queries import (
    archive_counts,
    archive_totals,
    event_years,
    speaker_letters,
    speaker_talks_page,
    tag_events,
    tag_talks_page,
)
from webapp.catalogue.summary.keys import index_letter
from webapp.catalogue.summary.rebuild import differences
from webapp.catalogue.summary.tracking import install_tracking
from webapp.core.visibility import public_events, public_speakers, public_tags, public_talk_condition, public_talks
from webapp.models import Event, Facet, Series, Speaker, Status, Tag, Talk, TalkSpeaker, talk_tags
from webapp.slides.queries import has_ready_slides

CATALOGUE_TABLES = ("reading_list", "tag_events", "archive_counts", "talk_tags", "event_tags", "talk_speakers",
                    "speaker_aliases", "speaker_owners", "talks", "series", "events", "speakers", "tags",
                    "slug_redirects")


def _count(db, query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def _per_key(db, column, source) -> dict:
    query = select(column, func.count()).select_from(source).where(public_talk_condition()).group_by(column)
    return {key: n for key, n in db.session.execute(query) if key is not None}


def _newest_first(query):
    return query.join(Talk.event).order_by(func.coalesce(Talk.given_on, Event.start_date).desc().nulls_last(),
                                           Talk.position, Talk.id)


def counted_by_the_rules(db) -> dict:
    """Everything the pages show, counted and sorted the slow way, from core/visibility.py."""
    events = list(db.session.scalars(public_events()))
    talks_of = _per_key(db, Talk.event_id, Talk)
    by = {"place": {}, "host_organisation": {}}
    for event in events:
        for column, found in by.items():
            if getattr(event, column) and talks_of.get(event.id):
                found[getattr(event, column)] = found.get(getattr(event, column), 0) + talks_of[event.id]
    tags, speakers = list(db.session.scalars(public_tags())), list(db.session.scalars(public_speakers()))
    reading = (public_talks().join(Talk.event).where(Talk.context.is_not(None) | Talk.lessons.is_not(None))
               .order_by(has_ready_slides().desc(), func.coalesce(Talk.given_on, Event.start_date).desc().nulls_last(),
                         Talk.id.desc()))
    reading = [t.id for t in db.session.scalars(reading) if t.context or t.lessons]
    # Each tag's public talks, newest first, read once: its page lists them, its events are theirs.
    tag_talks = {tag.id: list(db.session.scalars(_newest_first(public_talks().where(Talk.tags.any(Tag.id == tag.id)))))
                 for tag in tags}
    return {
        "totals": {"events": len(events), "talks": _count(db, public_talks()), "speakers": len(speakers),
                   "tags": len(tags)},
        "tags": _per_key(db, talk_tags.c.tag_id, talk_tags.join(Talk)),
        "speakers": _per_key(db, TalkSpeaker.speaker_id, TalkSpeaker.__table__.join(Talk)),
        "series": _per_key(db, Talk.series_id, Talk),
        "years": {year: sum(1 for e in events if e.start_date and e.start_date.year == year)
                  for year in {e.start_date.year for e in events if e.start_date}},
        "places": by["place"], "organisations": by["host_organisation"],
        "letters": sorted({index_letter(s.sort_key) for s in speakers}, key=lambda x: (x == "#", x)),
        "tag pages": {tag_id: [t.id for t in talks] for tag_id, talks in tag_talks.items()},
        "speaker pages": {s.id: [t.id for t in db.session.scalars(_newest_first(public_talks().where(
            Talk.speaker_links.any(TalkSpeaker.speaker_id == s.id))))] for s in speakers},
        "tag events": {tag_id: {e.id for e in events if any(t.event_id == e.id for t in talks)}
                       for tag_id, talks in tag_talks.items()},
        "reading": reading,
    }


def as_stored(db) -> dict:
    """The same, as the pages read it from the summary data."""
    tags = list(db.session.scalars(select(Tag).where(Tag.public_talk_count > 0)))
    speakers = list(db.session.scalars(select(Speaker).where(Speaker.public_talk_count > 0)))
    return {
        "totals": archive_totals(),
        "tags": {tag.id: tag.public_talk_count for tag in tags},
        "speakers": {s.id: s.public_talk_count for s in speakers},
        "series": {s.id: s.public_talk_count for s in db.session.scalars(select(Series)) if s.public_talk_count},
        "years": dict(event_years()),
        "places": dict(archive_counts(Facet.TALKS_BY_PLACE)),
        "organisations": dict(archive_counts(Facet.TALKS_BY_ORGANISATION)),
        "letters": speaker_letters(),
        "tag pages": {tag.id: [t.id for t in tag_talks_page(tag, 1, 1000).items] for tag in tags},
        "speaker pages": {s.id: [t.id for t in speaker_talks_page(s, 1, 1000).items] for s in speakers},
        "tag events": {tag.id: {e.id for e in tag_events(tag)} for tag in tags},
        "reading": [item.talk.id for item in reading_selection(limit=1000)],
    }


def empty_the_archive(db) -> None:
    db.session.rollback()
    db.session.expunge_all()
    for name in CATALOGUE_TABLES:
        db.session.execute(delete(db.metadata.tables[name]))
    db.session.commit()


def assert_current(db, after: str) -> None:
    assert differences(db.session) == {}, f"stale after {after}"
    db.session.rollback()
    stored, expected = as_stored(db), counted_by_the_rules(db)
    assert stored == expected, f"after {after}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(seed_value=st.integers(0, 2**32), steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=10))
def test_after_any_changes_the_summary_data_is_what_counting_the_archive_gives(db, seed_value, steps):
    empty_the_archive(db)
    rng = random.Random(seed_value)
    seed(rng, None)
    assert_current(db, "the seed")
    for step in steps:
        step(rng, None)
        db.session.commit()
        assert_current(db, step.__name__)


def test_a_change_rolled_back_changes_no_count(db, make_talk, client):
    make_talk(tags=["fablab"])
    db.session.commit()
    talk = make_talk(tags=["fablab", "mednum"])
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(Tag.public_talk_count).where(Tag.name == "fablab")) == 1
    assert archive_totals()["talks"] == 1
    assert talk not in db.session


def test_publishing_an_event_counts_its_talks_on_the_public_pages(db, client, make_event, make_talk, make_speaker):
    from webapp.catalogue.operations.events import publish_event, unpublish_event

    event = make_event("Journée fablab", status=Status.DRAFT, start_date=date(2019, 3, 1), place="Lyon")
    ada = make_speaker("Ada Lovelace")
    for title in ("Un fablab municipal", "Imprimer en 3D"):
        make_talk(title, event=event, tags=["fablab"], speakers=[ada])
    db.session.commit()
    assert client.get("/tags/fablab").status_code == 404
    assert "Un fablab municipal" not in client.get("/").get_data(as_text=True)

    publish_event(None, event)
    db.session.commit()
    tag_page = client.get("/tags/fablab", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2 talks tagged #fablab." in tag_page and "Journée fablab" in tag_page
    speakers = client.get("/speakers/?letter=l", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Ada Lovelace" in speakers and "2 talks" in speakers
    assert archive_totals() == {"events": 1, "talks": 2, "speakers": 1, "tags": 1}

    unpublish_event(None, event)
    db.session.commit()
    assert client.get("/tags/fablab").status_code == 404
    assert archive_totals() == {"events": 0, "talks": 0, "speakers": 0, "tags": 0}


def test_statements_that_skip_the_orm_are_followed_too(db, make_talk):
    talks = [make_talk(tags=["fablab"]) for _ in range(3)]
    db.session.commit()
    db.session.execute(update(Talk).where(Talk.id.in_([talks[0].id, talks[1].id])).values(status=Status.DRAFT))
    db.session.commit()
    assert db.session.scalar(select(Tag.public_talk_count).where(Tag.name == "fablab")) == 1
    db.session.execute(delete(talk_tags).where(talk_tags.c.talk_id == talks[2].id))
    db.session.commit()
    assert db.session.scalar(select(Tag.public_talk_count).where(Tag.name == "fablab")) == 0
    assert archive_totals()["tags"] == 0


def test_flask_summary_check_tells_stale_data_and_rebuild_mends_it(db, runner, make_talk):
    make_talk(tags=["fablab"])
    db.session.commit()
    assert runner.invoke(args=["summary", "check"]).exit_code == 0
    db.session.execute(text("UPDATE tags SET public_talk_count = 99"))  # raw SQL: invisible to tracking
    db.session.commit()
    stale = runner.invoke(args=["summary", "check"])
    assert stale.exit_code == 1 and "tags: 2 rows" in stale.output
    assert runner.invoke(args=["summary", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["summary", "check"]).exit_code == 0
    assert db.session.scalar(select(Tag.public_talk_count)) == 1


def _in_parallel(engine, *works) -> None:
    """Each work(session) in its own transaction and thread; on PostgreSQL all flush, then all commit
    at once. On SQLite a flush takes the one write lock: the others wait for its commit (their busy
    timeout) and go on, so no writer waits for the others' flush."""
    together = engine.dialect.name == "postgresql"
    both_flushed, errors = threading.Barrier(len(works) if together else 1), []

    def run(work):
        try:
            with Session(engine) as session:
                install_tracking(session)
                work(session)
                session.flush()
                both_flushed.wait(timeout=10)
                session.commit()
        except Exception as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


def _new_talk(event_id: int, tag_id: int):
    def add(session):
        session.add(Talk(slug=f"parallel-{threading.get_ident()}", title="En parallèle", event_id=event_id,
                         status=Status.PUBLISHED, tags=[session.get(Tag, tag_id)]))
    return add


@pytest.fixture
def side_by_side(db):
    """Writers started at the same moment (on SQLite the second waits for the first's commit)."""
    return lambda *works: _in_parallel(db.engine, *works)


def test_two_writers_tagging_at_the_same_moment_are_both_counted(db, side_by_side, make_event, make_tags):
    event, [tag] = make_event(), make_tags("fablab")
    db.session.commit()
    side_by_side(_new_talk(event.id, tag.id), _new_talk(event.id, tag.id))
    db.session.expire_all()
    assert db.session.get(Tag, tag.id).public_talk_count == 2
    assert db.session.get(Event, event.id).public_talk_count == 2
    assert differences(db.session) == {}


def test_a_talk_added_while_its_event_is_published_is_counted(db, side_by_side, make_event, make_tags):
    event, [tag] = make_event(status=Status.DRAFT), make_tags("fablab")
    db.session.commit()

    def publish(session):
        session.get(Event, event.id).status = Status.PUBLISHED

    side_by_side(publish, _new_talk(event.id, tag.id))
    db.session.expire_all()
    assert db.session.get(Tag, tag.id).public_talk_count == 1
    assert archive_totals()["talks"] == 1
    assert differences(db.session) == {}


def _insert(connection, table_name: str, rows: list[dict]) -> None:
    from sqlalchemy import MetaData, Table

    connection.execute(Table(table_name, MetaData(), autoload_with=connection).insert(), rows)


def test_the_migration_fills_the_summary_data_of_an_archive_already_there(app, db):
    from flask_migrate import upgrade

    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(revision="a7c3e9d1b5f2")  # the schema before the summary data
    now, published = datetime(2024, 1, 1, tzinfo=timezone.utc), Status.PUBLISHED.value
    stamps = {"created_at": now, "updated_at": now}
    with db.engine.begin() as connection:
        _insert(connection, "events", [
            {"id": 1, "slug": "lyon", "title": "Lyon", "status": published, "start_date": date(2019, 3, 1),
             "place": "Lyon", "host_organisation": "BM Lyon", **stamps},
            {"id": 2, "slug": "brouillon", "title": "Brouillon", "status": "draft", "start_date": None,
             "place": "Paris", "host_organisation": None, **stamps}])
        _insert(connection, "series", [{"id": 1, "slug": "serie", "title": "Série"}])
        _insert(connection, "talks", [
            {"id": n, "slug": f"t{n}", "title": f"T{n}", "event_id": 1 + (n == 3), "position": n, "series_id": 1,
             "status": "draft" if n == 2 else published, "given_on": date(2019, 3, 1) if n == 1 else None,
             "lessons": "<p>Leçons</p>" if n == 1 else None, **stamps} for n in (1, 2, 3, 4)])
        _insert(connection, "speakers", [
            {"id": n, "slug": f"s{n}", "name": name, "name_key": name.lower(), "sort_key": key, "links": [],
             **stamps} for n, name, key in ((1, "Ada Lovelace", "lovelace ada"), (2, "Zoé", "zoe"))])
        _insert(connection, "tags", [{"id": 1, "name": "fablab"}, {"id": 2, "name": "3d"}])
        _insert(connection, "talk_tags", [{"talk_id": t, "tag_id": tag} for t, tag in ((1, 1), (2, 1), (3, 2), (4, 2))])
        _insert(connection, "talk_speakers", [{"talk_id": 1, "speaker_id": 1, "position": 0},
                                              {"talk_id": 3, "speaker_id": 2, "position": 0}])
    upgrade()
    assert differences(db.session) == {}
    db.session.rollback()
    assert archive_totals() == {"events": 1, "talks": 2, "speakers": 1, "tags": 2}
    assert dict(archive_counts(Facet.TALKS_BY_PLACE)) == {"Lyon": 2}
    assert [item.talk.slug for item in reading_selection()] == ["t1"]
