"""Outside tests the schema comes only from migrations: they must give exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text


def _drop_everything(db):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_on_empty_database_gives_the_models_schema(app, db):
    _drop_everything(db)
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_removes_every_table(app, db):
    _drop_everything(db)
    upgrade()
    downgrade(revision="base")
    remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()


def test_tags_public_event_count_is_filled_from_their_events(app, db):
    _drop_everything(db)
    upgrade(revision="e7b3f5a9c2d1")
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO events (id, slug, title, status, created_at, updated_at) VALUES "
                                "(1, 'a', 'A', 'published', '2020-01-01', '2020-01-01'), "
                                "(2, 'b', 'B', 'published', '2020-01-01', '2020-01-01')"))
        connection.execute(text("INSERT INTO tags (id, name, public_talk_count) VALUES (1, 'x', 3), (2, 'y', 0)"))
        connection.execute(text("INSERT INTO tag_events (tag_id, event_id, listed_on, talk_count) VALUES "
                                "(1, 1, '2020-01-01', 2), (1, 2, '2020-01-01', 1)"))
    upgrade(revision="f3c8a1d5e9b7")
    with db.engine.connect() as connection:
        counts = dict(connection.execute(text("SELECT name, public_event_count FROM tags")).all())
    assert counts == {"x": 2, "y": 0}
