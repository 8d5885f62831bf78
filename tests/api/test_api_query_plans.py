"""The catalogue API reads indexes, never a growing table from end to end (keyset pages, no OFFSET),
on SQLite and PostgreSQL: the same check and the same large archive as the public pages'
(tests/catalogue/query_plans.py, tests/catalogue/test_query_plans.py)."""
from tests.catalogue.query_plans import recorded_statements, unbounded_reads
from tests.catalogue.test_query_plans import archive as large_archive  # noqa: F401  (a fixture)
from webapp.catalogue.api.cursors import encode_cursor

PATHS = {
    "talks": "/api/v1/talks", "talks, later page": f"/api/v1/talks?cursor={encode_cursor('talk', 1200)}",
    "talks of an event": "/api/v1/talks?event=archive-event-2",
    "talks of a speaker": "/api/v1/talks?speaker=archive-speaker-5",
    "talks under a tag": "/api/v1/talks?tag=theme-3", "talks in a language": "/api/v1/talks?language=fr",
    "talks changed since": "/api/v1/talks?updated_since=2001-01-01T00:00:00Z", "talk": "/api/v1/talks/archive-talk-2",
    "events": "/api/v1/events", "events under a tag": "/api/v1/events?tag=theme-3",
    "event": "/api/v1/events/archive-event-2",
    "speakers": "/api/v1/speakers?limit=200", "speakers of an event": "/api/v1/speakers?event=archive-event-2",
    "speaker": "/api/v1/speakers/archive-speaker-5", "tags": "/api/v1/tags", "tag": "/api/v1/tags/theme-3",
}


def _is_ordered_rowid_read(read: str) -> bool:
    """SQLite's read of a table in its own rowid order (`WHERE id > ? ORDER BY id LIMIT n`): the ordered
    read of an index that query_plans.py allows, which SQLite names without the word INDEX."""
    return read.strip().endswith("USING INTEGER PRIMARY KEY (rowid>?)")


def _unbounded_reads(engine, statements) -> list[str]:
    limited = [statement for statement in statements if " LIMIT " in statement.sql.upper()]
    rowid_reads = [found for found in unbounded_reads(engine, limited) if _is_ordered_rowid_read(found)]
    return [found for found in unbounded_reads(engine, statements) if found not in rowid_reads]


def test_no_api_answer_reads_a_growing_table_from_end_to_end(db, client, large_archive):  # noqa: F811
    offenders = {}
    for name, path in PATHS.items():
        with recorded_statements(db.engine) as statements:
            response = client.get(path)
        assert response.status_code == 200, path
        if found := _unbounded_reads(db.engine, statements):
            offenders[f"{name} ({path})"] = found
    assert offenders == {}, "\n\n".join(f"{page}:\n" + "\n".join(reads) for page, reads in offenders.items())
