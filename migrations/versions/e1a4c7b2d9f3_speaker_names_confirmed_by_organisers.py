"""speaker names and aliases confirmed by organisers before they are used for matching

Revision ID: e1a4c7b2d9f3
Revises: d607bd7f944f
Create Date: 2026-12-01 22:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a4c7b2d9f3'
down_revision = 'd607bd7f944f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_name_confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('speaker_aliases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('speaker_aliases', schema=None) as batch_op:
        batch_op.drop_column('is_confirmed')
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.drop_column('is_name_confirmed')
