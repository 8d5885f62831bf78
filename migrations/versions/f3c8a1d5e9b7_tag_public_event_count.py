"""summary data: each tag's number of public events, so the tag page lists a bounded few of them

Revision ID: f3c8a1d5e9b7
Revises: e7b3f5a9c2d1
Create Date: 2026-12-05 15:30:00

The tag page showed every event of a tag (hundreds for a common tag in a large archive); it now
shows the newest few and links to all of them on the events page (/events/?tag=), whose pagination
reads this count. Filled here from tag_events, which holds one row per public event of each tag.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3c8a1d5e9b7'
down_revision = 'e7b3f5a9c2d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tags') as batch_op:
        batch_op.add_column(sa.Column('public_event_count', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE tags SET public_event_count = "
               "(SELECT count(*) FROM tag_events WHERE tag_events.tag_id = tags.id)")


def downgrade():
    with op.batch_alter_table('tags') as batch_op:
        batch_op.drop_column('public_event_count')
