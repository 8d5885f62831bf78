"""search queue: the durable outbox that keeps the search index in step with the database

Revision ID: b3c5e1f0a9d2
Revises: 7d1b28b36193
Create Date: 2026-11-25 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3c5e1f0a9d2'
down_revision = '7d1b28b36193'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('op', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_queue'))
    )


def downgrade():
    op.drop_table('search_queue')
