"""several hosts: the search indexes' cursors on the search log

Revision ID: e7b3f5a9c2d1
Revises: d4a1c0e8f2b6
Create Date: 2026-12-03 11:30:00

The search queue becomes a log that every host's index follows: each index registers its cursor
(the last log id it applied) in search_index_cursors, so that the log is pruned only once every
index has passed it (or past its retention period); search_log_pruning records how far it was
pruned, so that an index left behind rebuilds itself.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7b3f5a9c2d1'
down_revision = 'd4a1c0e8f2b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_index_cursors',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('log_cursor', sa.BigInteger(), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('index_dir', sa.String(length=1000), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_search_index_cursors'))
    )
    op.create_table('search_log_pruning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pruned_through', sa.BigInteger(), nullable=False),
    sa.Column('pruned_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_log_pruning'))
    )


def downgrade():
    op.drop_table('search_log_pruning')
    op.drop_table('search_index_cursors')
