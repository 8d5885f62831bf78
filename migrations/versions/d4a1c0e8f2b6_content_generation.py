"""the page cache's content generation, for several hosts

Revision ID: d4a1c0e8f2b6
Revises: c9e2d4a7b1f3
Create Date: 2026-12-03 06:15:00

content_generation holds the page cache's generation for hosts that do not share a cache server:
each host compares its cached pages with it (webapp/page_cache/shared_generation.py).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4a1c0e8f2b6'
down_revision = 'c9e2d4a7b1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_generation'))
    )


def downgrade():
    op.drop_table('content_generation')
