"""Benchmark the sitemap and the Atom feeds on a large synthetic archive. Prints figures only.

A fresh SQLite database is created by the migrations and filled with plain INSERTs (events,
talks with two speakers and two tags each), then each URL is requested through the test client.
The sitemap becomes an index of 10,000-URL pages; peak memory shows that rows are streamed.
Usage: .venv/bin/python -m bench.syndication [--talks N] [--events N] [--speakers N]
"""
import argparse
import resource
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

TAGS = ["mednumsavoirs", "bibliotheques", "musees", "archives", "patrimoine", "fablab",
        "science-ouverte", "jeunesse", "education-aux-medias", "lecture-publique"]


def _rows(args) -> dict[str, list[dict]]:
    now = datetime.now(timezone.utc)
    start = date(2010, 1, 1)
    stamps = {"created_at": now, "updated_at": now}
    events = [{"id": i, "slug": f"journee-{i}", "title": f"Journée d'étude {i}",
               "start_date": start + timedelta(days=7 * i), "end_date": None,
               "status": "published", **stamps} for i in range(1, args.events + 1)]
    speakers = [{"id": i, "slug": f"intervenant-{i}", "name": f"Intervenant {i}",
                 "name_key": f"intervenant {i}", "sort_key": f"{i} intervenant", "links": [],
                 **stamps} for i in range(1, args.speakers + 1)]
    talks = [{"id": i, "slug": f"intervention-{i}", "title": f"Retour d'expérience {i}",
              "summary": "<p>Un <em>retour</em> d'expérience.</p>", "language": "fr",
              "event_id": 1 + i % args.events, "position": i, "status": "published",
              "published_at": now - timedelta(minutes=i), **stamps}
             for i in range(1, args.talks + 1)]
    return {"events": events, "speakers": speakers, "talks": talks}


def _links(args) -> dict[str, list[dict]]:
    tags = [{"id": i, "name": name} for i, name in enumerate(TAGS, start=1)]
    talk_speakers = [{"talk_id": t, "speaker_id": 1 + (t + k) % args.speakers, "position": k}
                     for t in range(1, args.talks + 1) for k in (0, 1)]
    talk_tags = [{"talk_id": t, "tag_id": 1 + (t + k) % len(TAGS)}
                 for t in range(1, args.talks + 1) for k in (0, 3)]
    return {"tags": tags, "talk_speakers": talk_speakers, "talk_tags": talk_tags}


def fill(db, args) -> None:
    tables = db.metadata.tables
    for name, rows in {**_rows(args), **_links(args)}.items():
        db.session.execute(tables[name].insert(), rows)
    db.session.commit()


def timed_get(client, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(path)
    return time.perf_counter() - started, response.status_code, len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--talks", type=int, default=30000)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--speakers", type=int, default=6000)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                          "SEARCH_INDEX_DIR": f"{folder}/index", "UPLOAD_DIR": f"{folder}/up",
                          "SEARCH_WRITER": "off"})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            fill(db, args)
            print(f"filled {args.talks} talks, {args.events} events, {args.speakers} speakers "
                  f"in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        for path in ["/sitemap.xml", "/sitemaps/talks-1.xml", "/sitemaps/talks-3.xml",
                     "/sitemaps/speakers-1.xml", "/feeds/talks.atom",
                     "/tags/mednumsavoirs/feed.atom", "/events/journee-1/feed.atom",
                     "/events/journee-1/calendar.ics"]:
            seconds, status, size = timed_get(client, path)
            print(f"{path:40} {status} {size / 1024:9.1f} KiB {seconds * 1000:8.1f} ms")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (whole process): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
