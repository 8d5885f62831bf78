"""talk rooms and links, and where an imported slide deck was fetched from

Revision ID: a7c3e9d1f4b2
Revises: b3f9e2c7a1d5
Create Date: 2026-12-02 10:45:00

frab/pretalx schedule imports (webapp/importing/frab_import.py) give talks a room and links, and
fetch slide decks from the schedule's attachments: talks.room, talks.links (JSON, as
speakers.links) and slide_decks.source_url (a new import does not fetch a deck again).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e9d1f4b2'
down_revision = 'b3f9e2c7a1d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('talks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('links', sa.JSON(), nullable=True))
    with op.batch_alter_table('slide_decks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_url', sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table('slide_decks', schema=None) as batch_op:
        batch_op.drop_column('source_url')
    with op.batch_alter_table('talks', schema=None) as batch_op:
        batch_op.drop_column('links')
        batch_op.drop_column('room')
