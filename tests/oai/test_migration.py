"""The OAI migration upgrades a populated archive: every public talk gets its live record and its
sets, drafts get none; on SQLite and PostgreSQL (the test database)."""
from datetime import datetime, timezone

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.oai.oai_xml import NS, identifiers

BEFORE = "c4e8a2f61d37"
NOW = datetime(2026, 11, 30, 8, 15, 42, 123456, tzinfo=timezone.utc)


def _seed(connection) -> None:
    rows = {
        "events": [{"id": 1, "slug": "journee", "title": "Journée", "status": "published", "place": "Lyon"},
                   {"id": 2, "slug": "prochaine", "title": "Prochaine", "status": "draft", "place": None}],
        "talks": [{"id": 10, "slug": "fablab", "title": "Le fablab", "event_id": 1, "status": "published"},
                  {"id": 11, "slug": "brouillon", "title": "Brouillon", "event_id": 1, "status": "draft"},
                  {"id": 12, "slug": "cache", "title": "Caché", "event_id": 2, "status": "published"}],
        "tags": [{"id": 5, "name": "mednumsavoirs"}],
        "talk_tags": [{"talk_id": 10, "tag_id": 5}, {"talk_id": 11, "tag_id": 5}],
    }
    stamps = {"created_at": NOW, "updated_at": NOW}
    for table, values in rows.items():
        for row in values:
            row = {**row, **(stamps if table in ("events", "talks") else {})}
            if table == "talks":
                row |= {"position": 0}
            if table == "events":
                row |= {"show_view_counts": False}
            names = ", ".join(row)
            connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in row)})"), row)


def test_upgrade_backfills_the_records_of_public_talks(app, db, client):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _seed(connection)
    upgrade()
    with db.engine.connect() as connection:
        records = connection.execute(text("SELECT talk_id, is_deleted, datestamp FROM oai_records")).all()
        sets = connection.execute(text("SELECT set_spec, talk_id FROM oai_record_sets ORDER BY set_spec")).all()
    assert [(talk_id, bool(is_deleted)) for talk_id, is_deleted, _ in records] == [(10, False)]
    assert [tuple(row) for row in sets] == [("event:journee", 10), ("tag:mednumsavoirs", 10)]
    document = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc")
    from tests.oai.oai_xml import validated

    document = validated(document.data)
    assert identifiers(document) == ["oai:127.0.0.1:talk/10"]
    assert document.findtext(".//oai:datestamp", namespaces=NS) == "2026-11-30T08:15:42Z"
    assert document.findtext(".//dc:coverage", namespaces=NS) == "Lyon"
    downgrade(revision=BEFORE)
