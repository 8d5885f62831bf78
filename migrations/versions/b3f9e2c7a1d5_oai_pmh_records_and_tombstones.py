"""OAI-PMH records and tombstones: oai_records and oai_record_sets

Revision ID: b3f9e2c7a1d5
Revises: c4e8a2f61d37
Create Date: 2026-12-02 10:20:00

Every talk public now gets its record, dated by the talk's last update (the best known moment of
its last public change). The rows are read with plain SQL (a migration must not depend on today's
models) and shaped by webapp/oai/sources.py, which `flask oai rebuild` uses too.
"""
from types import SimpleNamespace

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3f9e2c7a1d5'
down_revision = 'c4e8a2f61d37'
branch_labels = None
depends_on = None

CHUNK = 500

talks = sa.table("talks", sa.column("id", sa.Integer), sa.column("slug", sa.String), sa.column("title", sa.String),
                 sa.column("summary", sa.Text), sa.column("language", sa.String), sa.column("licence", sa.String),
                 sa.column("video_url", sa.String), sa.column("given_on", sa.Date), sa.column("event_id", sa.Integer),
                 sa.column("status", sa.String), sa.column("updated_at", sa.DateTime(timezone=True)))
events = sa.table("events", sa.column("id", sa.Integer), sa.column("slug", sa.String), sa.column("title", sa.String),
                  sa.column("place", sa.String), sa.column("host_organisation", sa.String),
                  sa.column("start_date", sa.Date), sa.column("status", sa.String))
tags = sa.table("tags", sa.column("id", sa.Integer), sa.column("name", sa.String))
talk_tags = sa.table("talk_tags", sa.column("talk_id", sa.Integer), sa.column("tag_id", sa.Integer))
speakers = sa.table("speakers", sa.column("id", sa.Integer), sa.column("name", sa.String))
talk_speakers = sa.table("talk_speakers", sa.column("talk_id", sa.Integer), sa.column("speaker_id", sa.Integer),
                         sa.column("position", sa.Integer))
decks = sa.table("slide_decks", sa.column("id", sa.Integer), sa.column("talk_id", sa.Integer),
                 sa.column("original_name", sa.String), sa.column("kind", sa.String),
                 sa.column("is_current", sa.Boolean), sa.column("status", sa.String))


def upgrade():
    op.create_table('oai_records',
    sa.Column('talk_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('datestamp', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('source', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('talk_id', name=op.f('pk_oai_records'))
    )
    op.create_index('ix_oai_records_datestamp', 'oai_records', ['datestamp', 'talk_id'], unique=False)
    op.create_table('oai_record_sets',
    sa.Column('set_spec', sa.String(length=300), nullable=False),
    sa.Column('talk_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('set_spec', 'talk_id', name=op.f('pk_oai_record_sets'))
    )
    op.create_index('ix_oai_record_sets_talk', 'oai_record_sets', ['talk_id'], unique=False)
    _backfill(op.get_bind())


def downgrade():
    op.drop_index('ix_oai_record_sets_talk', table_name='oai_record_sets')
    op.drop_table('oai_record_sets')
    op.drop_index('ix_oai_records_datestamp', table_name='oai_records')
    op.drop_table('oai_records')


# --- the records of the talks public now ----------------------------------------------------------

def _public_talk_ids(connection) -> list[int]:
    query = (sa.select(talks.c.id).select_from(talks.join(events, events.c.id == talks.c.event_id))
             .where(talks.c.status == "published", events.c.status == "published").order_by(talks.c.id))
    return list(connection.scalars(query))


def _linked(connection, ids, query, key) -> dict:
    found = {}
    for row in connection.execute(query.where(key.in_(ids))):
        found.setdefault(row[0], []).append(SimpleNamespace(**row._mapping))
    return found


def _talks(connection, ids: list[int]) -> list[SimpleNamespace]:
    event_columns = [events.c[name].label(f"event_{name}") for name in
                     ("slug", "title", "place", "host_organisation", "start_date")]
    rows = connection.execute(sa.select(talks, *event_columns).select_from(
        talks.join(events, events.c.id == talks.c.event_id)).where(talks.c.id.in_(ids)))
    tag_rows = _linked(connection, ids, sa.select(talk_tags.c.talk_id, tags.c.name).select_from(
        talk_tags.join(tags, tags.c.id == talk_tags.c.tag_id)).order_by(tags.c.name), talk_tags.c.talk_id)
    speaker_rows = _linked(connection, ids, sa.select(talk_speakers.c.talk_id, speakers.c.name).select_from(
        talk_speakers.join(speakers, speakers.c.id == talk_speakers.c.speaker_id)).order_by(
        talk_speakers.c.position), talk_speakers.c.talk_id)
    found = []
    for row in rows:
        values = dict(row._mapping)
        event = SimpleNamespace(**{name[6:]: values.pop(name) for name in list(values) if name.startswith("event_")})
        found.append(SimpleNamespace(**values, event=event, tags=tag_rows.get(row.id, []),
                                     speakers=speaker_rows.get(row.id, [])))
    return found


def _decks(connection, ids: list[int]) -> dict:
    query = sa.select(decks.c.talk_id, decks.c.id, decks.c.original_name, decks.c.kind).where(
        decks.c.talk_id.in_(ids), decks.c.is_current.is_(True), decks.c.status == "ready")
    return {row.talk_id: SimpleNamespace(**row._mapping) for row in connection.execute(query)}


def _backfill(connection) -> None:
    from webapp.oai.sources import digest, set_specs, talk_source

    ids = _public_talk_ids(connection)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        chunk_decks, records, sets = _decks(connection, chunk), [], []
        for talk in _talks(connection, chunk):
            source = talk_source(talk, chunk_decks.get(talk.id))
            records.append({"talk_id": talk.id, "datestamp": talk.updated_at.replace(microsecond=0),
                            "is_deleted": False, "digest": digest(source), "source": source})
            sets += [{"set_spec": spec, "talk_id": talk.id} for spec in dict.fromkeys(set_specs(talk))]
        _insert(connection, records, sets)


def _insert(connection, records: list, sets: list) -> None:
    oai_records = sa.table("oai_records", sa.column("talk_id", sa.Integer),
                           sa.column("datestamp", sa.DateTime(timezone=True)), sa.column("is_deleted", sa.Boolean),
                           sa.column("digest", sa.String), sa.column("source", sa.JSON))
    oai_record_sets = sa.table("oai_record_sets", sa.column("set_spec", sa.String), sa.column("talk_id", sa.Integer))
    if records:
        connection.execute(oai_records.insert(), records)
    if sets:
        connection.execute(oai_record_sets.insert(), sets)
