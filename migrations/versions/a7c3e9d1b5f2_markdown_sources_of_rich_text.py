"""the Markdown each rich text column is rendered from, kept beside its HTML

Revision ID: a7c3e9d1b5f2
Revises: f2b8d3e6a1c4
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d1b5f2'
down_revision = 'f2b8d3e6a1c4'
branch_labels = None
depends_on = None

TALK_SOURCES = ('summary_source', 'context_source', 'objectives_source', 'actions_source',
                'results_source', 'lessons_source')


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description_source', sa.Text(), nullable=True))
    with op.batch_alter_table('talks', schema=None) as batch_op:
        for name in TALK_SOURCES:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('talks', schema=None) as batch_op:
        for name in reversed(TALK_SOURCES):
            batch_op.drop_column(name)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('description_source')
