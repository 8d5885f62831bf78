"""How the cost of the public pages grows with the archive (prints figures only, asserts nothing).

A synthetic archive (bench/search_corpus.py: French and English talks, 400 tags, 3,000 speakers,
one event for every 15 talks, each in one of a dozen towns) is written with plain bulk INSERTs into a
fresh SQLite database (or the PostgreSQL database of --database-url, emptied first, then analysed) at
each size, then the main public pages are requested in process (app.test_client(), no page cache, no
statistics): median and p90 milliseconds per request, and the statements each request runs.
The tag page is the archive's most used tag; the event, talk and speaker pages are the busiest ones.

Usage: .venv/bin/python -m bench.archive_pages [--talks 500,20000] [--requests 40] [--database-url URL]
       [--keep DIR]  (keep the SQLite files in DIR and reuse them on the next run)
It only uses columns every version of the schema has, so that the same script measures a checkout
before and after a change (PYTHONPATH=/path/to/other/checkout).
"""
import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.search_corpus import TOWNS, SyntheticArchive

TALKS_PER_EVENT = 15
PAGES = ("home", "events", "event", "talk", "tag", "tags", "speakers", "speaker")


def archive_rows(size: int) -> dict[str, list[dict]]:
    archive, rng = SyntheticArchive(size), random.Random(size)
    now = datetime.now(timezone.utc)
    stamps = {"created_at": now, "updated_at": now}
    event_count = max(1, size // TALKS_PER_EVENT)
    speakers = {name: n for n, name in enumerate(archive.speakers, start=1)}
    tags = {name: n for n, name in enumerate(archive.tags, start=1)}
    rows = {"events": [], "talks": [], "talk_tags": [], "talk_speakers": []}
    for n, (slug, title) in enumerate(archive.events[:event_count], start=1):
        rows["events"].append({"id": n, "slug": slug, "title": title, "status": "published", "start_date": None,
                               "place": rng.choice(TOWNS), "host_organisation": f"Réseau {n % 40}", **stamps})
    for number, talk in enumerate(archive, start=1):
        event = rows["events"][number % event_count]
        event["start_date"] = event["start_date"] or talk["date"]
        rows["talks"].append({"id": number, "slug": talk["slug"], "title": talk["title"][:400],
                              "summary": f"<p>{talk['summary']}</p>", "event_id": event["id"], "position": number,
                              "status": "published", "given_on": talk["date"], "published_at": now,
                              "context": f"<p>{talk['sections']}</p>" if number % 5 == 0 else None, **stamps})
        rows["talk_tags"] += [{"talk_id": number, "tag_id": tags[name]} for name in talk["tags"]]
        rows["talk_speakers"] += [{"talk_id": number, "speaker_id": speakers[name], "position": position}
                                  for position, name in enumerate(talk["speakers"])]
    rows["tags"] = [{"id": n, "name": name} for name, n in tags.items()]
    rows["speakers"] = [{"id": n, "slug": archive.speaker_slugs[name], "name": name, "name_key": name.lower(),
                         "sort_key": " ".join(reversed(name.lower().split())), "links": [], **stamps}
                        for name, n in speakers.items()]
    return rows


def fill(app, size: int) -> float:
    """Create the schema and insert the archive through the session (as an import would); seconds."""
    from sqlalchemy import MetaData, insert, text

    from webapp.extensions import db

    with app.app_context():
        found = MetaData()
        found.reflect(db.engine)  # every table there, whichever version of the schema made it
        found.drop_all(db.engine)
        db.create_all()
        rows, started = archive_rows(size), time.perf_counter()
        for name in ("events", "tags", "speakers", "talks", "talk_tags", "talk_speakers"):
            db.session.execute(insert(db.metadata.tables[name]), rows[name])
        if db.engine.dialect.name == "postgresql":
            for name in ("events", "tags", "speakers", "talks"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {len(rows[name])})"))
        db.session.commit()
        elapsed = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":  # as autovacuum would; the application never analyses SQLite
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        return elapsed


def page_paths(app) -> dict[str, str]:
    from sqlalchemy import func, select

    from webapp.extensions import db
    from webapp.models import Event, Speaker, Tag, Talk, TalkSpeaker, talk_tags

    def busiest(key, model, label):
        query = (select(label).select_from(key.table).join(model, model.id == key).group_by(label)
                 .order_by(func.count().desc(), label).limit(1))
        return db.session.scalar(query)

    with app.app_context():
        return {
            "home": "/", "events": "/events/", "tags": "/tags/", "speakers": "/speakers/",
            "event": "/events/" + busiest(Talk.event_id, Event, Event.slug),
            "tag": "/tags/" + busiest(talk_tags.c.tag_id, Tag, Tag.name),
            "speaker": "/speakers/" + busiest(TalkSpeaker.speaker_id, Speaker, Speaker.slug),
            "talk": "/talks/" + db.session.scalar(select(Talk.slug).order_by(Talk.id).limit(1)),
        }


def time_page(app, client, path: str, requests: int) -> tuple[float, float, int]:
    """(median ms, p90 ms, statements per request) of `requests` requests after a warm-up."""
    from sqlalchemy import event

    from webapp.extensions import db

    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    for _ in range(3):
        assert client.get(path).status_code == 200, path
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    totals = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        totals.append((time.perf_counter() - started) * 1000)
    totals.sort()
    return statistics.median(totals), totals[int(0.9 * (len(totals) - 1))], len(statements)


def make_app(url: str, folder: str):
    from webapp import create_app

    return create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "SEARCH_INDEX_DIR": f"{folder}/index",
                       "UPLOAD_DIR": f"{folder}/uploads", "SEARCH_WRITER": "off", "STATS_ENABLED": False,
                       "PAGE_CACHE": "off", "SERVER_NAME": None})


def measure(size: int, url: str | None, folder: str, requests: int, keep: Path | None) -> None:
    database = keep / f"archive-{size}.db" if keep else Path(folder) / f"archive-{size}.db"
    app = make_app(url or f"sqlite:///{database}", folder)
    if url or not database.exists():
        print(f"{size:>7} talks: written in {fill(app, size):.1f} s (bulk INSERTs and their commit)")
    client = app.test_client()
    for name, path in page_paths(app).items():
        median, p90, statements = time_page(app, client, path, requests)
        print(f"{size:>7} talks  {name:<9} {median:7.1f} ms median {p90:7.1f} ms p90 "
              f"{statements:>3} statements   {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", default=os.environ.get("BENCH_PAGE_TALKS", "500,20000"))
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL database of the benchmark's own (its tables are dropped)")
    parser.add_argument("--keep", type=Path, help="a folder to keep (and reuse) the SQLite databases in")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(f"{os.getloadavg()[0]:.1f} load average on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="causeries-pages-") as folder:
        for size in (int(value) for value in args.talks.split(",")):
            measure(size, args.database_url, folder, args.requests, args.keep)


if __name__ == "__main__":
    main()
