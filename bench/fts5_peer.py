"""The FTS5 peer of bench/search.py: what a Flask developer would write instead of Causeries' search,
SQLite FTS5 behind Flask, served by the same gunicorn settings:

    FTS5_PEER_DATABASE=peer.db gunicorn -c gunicorn.conf.py "bench.fts5_peer:create_app()"

GET /search?q=words answers, as JSON, the top 10 talks by bm25 (title weighted) with a snippet
each, the total, and three facets (tag, event, year: their 20 most frequent values with counts).
Every word is required, accents and case ignored (unicode61, remove_diacritics 2); nothing cached.
build_peer_database() writes the database from the same search documents Causeries indexes.
"""
import os
import re
import sqlite3
from collections.abc import Iterable

from flask import Flask, jsonify, request

DATABASE_ENV = "FTS5_PEER_DATABASE"
TOP, FACET_VALUES = 10, 20
SCHEMA = """
CREATE VIRTUAL TABLE talks USING fts5(title, summary, speakers, tags, event,
                                      tokenize='unicode61 remove_diacritics 2');
CREATE TABLE facts (id INTEGER PRIMARY KEY, slug TEXT NOT NULL, event_slug TEXT, year INTEGER);
CREATE TABLE talk_tags (talk_id INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX talk_tags_by_talk ON talk_tags (talk_id);
"""
MATCHED = "SELECT rowid FROM talks WHERE talks MATCH :q"
HITS = (f"SELECT facts.slug, highlight(talks, 0, '<mark>', '</mark>'), "
        f"snippet(talks, 1, '<mark>', '</mark>', '…', 24) FROM talks JOIN facts ON facts.id = talks.rowid "
        f"WHERE talks MATCH :q ORDER BY bm25(talks, 4.0, 1.5, 3.0, 3.0, 1.5) LIMIT {TOP}")
FACETS = {
    "year": f"SELECT year, count(*) FROM facts WHERE id IN ({MATCHED}) AND year IS NOT NULL GROUP BY year",
    "event": f"SELECT event_slug, count(*) FROM facts WHERE id IN ({MATCHED}) GROUP BY event_slug",
    "tag": f"SELECT tag, count(*) FROM talk_tags WHERE talk_id IN ({MATCHED}) GROUP BY tag",
}


def build_peer_database(path: str, documents: Iterable[dict]) -> int:
    """The peer's database from talk documents (search_index's contract); returns how many."""
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    count = 0
    for count, doc in enumerate(documents, start=1):
        connection.execute("INSERT INTO talks (rowid, title, summary, speakers, tags, event) VALUES (?, ?, ?, ?, ?, ?)",
                           (count, doc["title"], doc["summary"], " ".join(doc["speakers"]), " ".join(doc["tags"]),
                            doc["event"]))
        connection.execute("INSERT INTO facts VALUES (?, ?, ?, ?)",
                           (count, doc["slug"], doc["event_slug"], doc["date"].year if doc["date"] else None))
        connection.executemany("INSERT INTO talk_tags VALUES (?, ?)", [(count, tag) for tag in doc["tags"]])
    connection.commit()
    connection.close()
    return count


def match_expression(q: str) -> str:
    """Every word of `q` required, each quoted: no FTS5 syntax reaches the engine."""
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", q))


def answer(connection: sqlite3.Connection, q: str) -> dict:
    match = match_expression(q)
    if not match:
        return {"query": q, "total": 0, "results": [], "facets": {}}
    hits = connection.execute(HITS, {"q": match}).fetchall()
    total = connection.execute(f"SELECT count(*) FROM ({MATCHED})", {"q": match}).fetchone()[0]
    facets = {name: top_values(connection.execute(sql, {"q": match}).fetchall()) for name, sql in FACETS.items()}
    return {"query": q, "total": total, "facets": facets,
            "results": [{"slug": slug, "title": title, "snippet": snippet} for slug, title, snippet in hits]}


def top_values(counts: list[tuple]) -> dict:
    """The FACET_VALUES most frequent values, most frequent first."""
    return dict(sorted(counts, key=lambda row: (-row[1], str(row[0])))[:FACET_VALUES])


def create_app() -> Flask:
    app = Flask(__name__)
    path, connections = os.environ[DATABASE_ENV], {}

    def connection() -> sqlite3.Connection:
        """One connection per worker process, opened after the fork."""
        if os.getpid() not in connections:
            connections[os.getpid()] = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return connections[os.getpid()]

    @app.get("/search")
    def search():
        return jsonify(answer(connection(), request.args.get("q", "")))

    return app
