"""A Causeries site of N synthetic talks for the benchmarks that request it (bench/pages.py,
bench/search.py): a SQLite database migrated by Flask-Migrate and filled with plain INSERTs from
bench.search_corpus.SyntheticArchive (a 100,000-talk archive in about a minute), its summary data
recomputed and its search index built by rebuild(), as `flask summary rebuild` and
`flask search rebuild` would after a bulk load. Each talk's related list is stored as plain rows too
(the talks nearest it in its event's programme, as many as a list holds), and the related queue the
bulk insert filled is emptied, as `flask related rebuild` would leave it: the servers measured start
with no background work pending. Prints nothing.
"""
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path

from bench.search_corpus import SyntheticArchive

INSERT_ROWS = 20_000  # rows per INSERT statement


def web_rows(archive: SyntheticArchive, talks: int) -> dict[str, list[dict]]:
    """Published events, speakers, tags and talks (synthetic text) as plain INSERT rows."""
    now = datetime.now(timezone.utc)
    stamps = {"created_at": now, "updated_at": now}
    events = [{"id": n, "slug": slug, "title": title, "start_date": date(2005, 1, 1) + timedelta(days=5 * n),
               "end_date": None, "status": "published", **stamps}
              for n, (slug, title) in enumerate(archive.events, 1)]
    speakers = [{"id": n, "slug": archive.speaker_slugs[name], "name": name, "name_key": name.lower(),
                 "sort_key": name.lower(), "links": [], **stamps} for n, name in enumerate(archive.speakers, 1)]
    tags = [{"id": n, "name": name} for n, name in enumerate(archive.tags, 1)]
    rows = {"events": events, "speakers": speakers, "tags": tags, "talks": [], "talk_speakers": [], "talk_tags": []}
    speaker_ids = {name: n for n, name in enumerate(archive.speakers, 1)}
    tag_ids = {name: n for n, name in enumerate(archive.tags, 1)}
    event_ids = {slug: n for n, (slug, _) in enumerate(archive.events, 1)}
    for doc in islice(archive, talks):
        number = int(doc["id"].split(":")[1])
        rows["talks"].append({"id": number, "slug": doc["slug"], "title": doc["title"], "summary": doc["summary"],
                              "language": doc["language"], "event_id": event_ids[doc["event_slug"]],
                              "position": number, "status": "published", "published_at": now, **stamps})
        rows["talk_speakers"] += [{"talk_id": number, "speaker_id": speaker_ids[name], "position": k}
                                  for k, name in enumerate(doc["speakers"])]
        rows["talk_tags"] += [{"talk_id": number, "tag_id": tag_ids[tag]} for tag in doc["tags"]]
    rows["related_talks"] = related_rows(rows["talks"])
    return rows


def related_rows(talks: list[dict], per_talk: int = 5) -> list[dict]:
    """Each talk's related list: the talks nearest it in its event's programme (reason "event")."""
    by_event: dict[int, list[int]] = {}
    for talk in talks:
        by_event.setdefault(talk["event_id"], []).append(talk["id"])
    rows = []
    for ids in by_event.values():
        for here, talk_id in enumerate(ids):
            window = range(max(0, here - per_talk), min(len(ids), here + per_talk + 1))
            nearest = sorted((other for other in window if other != here),
                             key=lambda other: (abs(other - here), other))[:per_talk]
            rows += [{"talk_id": talk_id, "rank": rank, "related_talk_id": ids[other], "reason": "event"}
                     for rank, other in enumerate(nearest)]
    return rows


def site_settings(workdir: Path) -> dict[str, str]:
    """The settings of the site in `workdir`, as environment variables (for gunicorn and flask)."""
    return {"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{workdir}/site.db",
            "SEARCH_INDEX_DIR": f"{workdir}/search-index", "UPLOAD_DIR": f"{workdir}/uploads",
            "PAGE_CACHE_DIR": f"{workdir}/page-cache"}


def build_site(workdir: Path, talks: int):
    """The site of `talks` synthetic talks in `workdir`; returns its Flask app (SEARCH_WRITER off)."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db
    from webapp.search.indexing import rebuild_index

    app = create_app({**site_settings(workdir), "SEARCH_WRITER": "off"})
    with app.app_context():
        upgrade()
        for name, rows in web_rows(SyntheticArchive(talks), talks).items():
            for start in range(0, len(rows), INSERT_ROWS):
                db.session.execute(db.metadata.tables[name].insert(), rows[start:start + INSERT_ROWS])
        db.session.commit()
        db.session.execute(db.metadata.tables["related_queue"].delete())  # filled as the insert commits
        db.session.commit()
        recompute_summary_data(app)
        rebuild_index()
    return app


def recompute_summary_data(app) -> None:
    """`flask summary rebuild`, where the app has summary data (counts the public pages read):
    plain INSERTs go around what keeps it current."""
    if "summary" in app.cli.commands:
        result = app.test_cli_runner().invoke(args=["summary", "rebuild"])
        if result.exit_code != 0:
            raise RuntimeError(f"flask summary rebuild failed:\n{result.output}") from result.exception


def talk_documents(app) -> Iterator[dict]:
    """The site's public talks as the search index holds them (webapp/search/documents.py)."""
    from webapp.search.documents import TALK, iter_public_documents

    with app.app_context():
        yield from (document for document in iter_public_documents() if document["type"] == TALK)
