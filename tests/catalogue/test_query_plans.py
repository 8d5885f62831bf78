"""No main public page reads a table that grows with the archive from end to end, and none runs more
queries as the archive grows. The query plans are checked on SQLite and on PostgreSQL
(tests/catalogue/query_plans.py says how, and what counts as such a read)."""
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, text

from tests.catalogue.query_plans import recorded_statements, unbounded_reads
from webapp.models import Event, Series, Speaker, Status, Tag, Talk, TalkSpeaker, talk_tags

EVENTS, TALKS, SPEAKERS, TAGS, SERIES = 120, 2400, 900, 90, 12
TOWNS = ("Lyon", "Lille", "Nantes", "Rennes", "Grenoble", "Strasbourg", "Paris", "Marseille")


def _rows(rng: random.Random) -> dict[type | str, list[dict]]:
    """An archive large enough for PostgreSQL's statistics to tell a slug from a status."""
    day = date(2001, 1, 15)
    events = [{"id": n, "slug": f"archive-event-{n}", "title": f"Journée {n}", "place": rng.choice(TOWNS),
               "host_organisation": f"Réseau {n % 9}",
               "start_date": None if n % 25 == 0 else day + timedelta(days=61 * n),
               "status": Status.DRAFT if n % 10 == 0 else Status.PUBLISHED}
              for n in range(1, EVENTS + 1)]
    talks = [{"id": n, "slug": f"archive-talk-{n}", "title": f"Retour d'expérience {n}", "event_id": 1 + n % EVENTS,
              "position": n, "status": Status.DRAFT if n % 7 == 0 else Status.PUBLISHED,
              "series_id": 1 + n % SERIES if n % 5 == 0 else None, "series_position": n // 60 + 1,
              "context": "<p>Le contexte.</p>" if n % 4 == 0 else None,
              "given_on": day + timedelta(days=n) if n % 3 else None}
             for n in range(1, TALKS + 1)]
    speakers = [{"id": n, "slug": f"archive-speaker-{n}", "name": f"Intervenante {n}", "name_key": f"intervenante {n}",
                 "sort_key": f"{chr(97 + n % 26)}{n} intervenante", "links": []} for n in range(1, SPEAKERS + 1)]
    return {
        Event: events, Talk: talks, Speaker: speakers,
        Tag: [{"id": n, "name": f"theme-{n}"} for n in range(1, TAGS + 1)],
        Series: [{"id": n, "slug": f"archive-series-{n}", "title": f"Série {n}"} for n in range(1, SERIES + 1)],
        "talk_tags": [{"talk_id": t, "tag_id": tag} for t in range(1, TALKS + 1)
                      for tag in rng.sample(range(1, TAGS + 1), rng.randint(1, 3))],
        TalkSpeaker: [{"talk_id": t, "speaker_id": s, "position": i} for t in range(1, TALKS + 1)
                      for i, s in enumerate(rng.sample(range(1, SPEAKERS + 1), rng.choice((1, 1, 2))))],
    }


@pytest.fixture
def archive(db):
    """The archive, inserted in bulk (the summary data follows bulk statements too), then analysed."""
    rows = _rows(random.Random(15))
    for target in (Event, Series, Speaker, Tag, Talk, "talk_tags", TalkSpeaker):
        db.session.execute(insert(talk_tags if target == "talk_tags" else target), rows[target])
    if db.engine.dialect.name == "postgresql":  # the ids were given: the sequences follow them
        for table in ("events", "series", "speakers", "tags", "talks"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    return rows


def main_pages(db) -> dict[str, str]:
    event, talk = db.session.get(Event, 2), db.session.get(Talk, 2)
    speaker = db.session.get(Speaker, talk.speaker_links[0].speaker_id)
    return {
        "home": "/", "events": "/events/", "events, page 2": "/events/?page=2", "year": "/events/2005/",
        "event": f"/events/{event.slug}", "talk": f"/talks/{talk.slug}",
        "speakers": "/speakers/", "speakers, one letter": "/speakers/?letter=c",
        "speakers, page 3": "/speakers/?page=3", "speaker": f"/speakers/{speaker.slug}",
        "tags": "/tags/", "tags, page 2": "/tags/?page=2", "tag": f"/tags/{talk.tags[0].name}",
        "tag, page 2": f"/tags/{talk.tags[0].name}?page=2", "events of a tag": f"/events/?tag={talk.tags[0].name}",
    }


def statements_of(db, client, path: str):
    with recorded_statements(db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return statements


def test_no_main_page_reads_a_growing_table_from_end_to_end(db, client, archive):
    offenders = {}
    for name, path in main_pages(db).items():
        found = unbounded_reads(db.engine, statements_of(db, client, path))
        if found:
            offenders[f"{name} ({path})"] = found
    assert offenders == {}, "\n\n".join(f"{page}:\n" + "\n".join(reads) for page, reads in offenders.items())


def _grow(db, make_talk, make_speaker, event: Event, talk: Talk) -> None:
    """More talks in the event, under the tag and by the speaker of the pages, and more of everything."""
    tag, speaker = talk.tags[0], talk.speaker_links[0].speaker
    for n in range(30):
        make_talk(event=event, tags=[tag.name, f"nouveau-{n}"], speakers=[speaker, make_speaker()],
                          context="<p>Le contexte.</p>", given_on=date(2003, 5, 1 + n % 28))
    db.session.commit()


def test_the_main_pages_run_as_many_queries_however_large_the_archive(db, client, archive, make_talk, make_speaker):
    pages = main_pages(db)
    before = {name: len(statements_of(db, client, path)) for name, path in pages.items()}
    _grow(db, make_talk, make_speaker, db.session.get(Event, 2), db.session.get(Talk, 2))
    after = {name: len(statements_of(db, client, path)) for name, path in pages.items()}
    assert after == before
