"""transcripts of talks

Revision ID: b8d4f1a6c2e9
Revises: a7c3e9d1f4b2
Create Date: 2026-12-03 10:00:00

One transcript per talk and language (webapp/transcripts/): the normalised WebVTT and its cues.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d4f1a6c2e9'
down_revision = 'a7c3e9d1f4b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('transcripts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('vtt', sa.Text(), nullable=False),
    sa.Column('cues', sa.JSON(), nullable=False),
    sa.Column('cue_count', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['talk_id'], ['talks.id'], name=op.f('fk_transcripts_talk_id_talks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_transcripts_uploaded_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcripts')),
    sa.UniqueConstraint('talk_id', 'language', name=op.f('uq_transcripts_talk_id'))
    )
    with op.batch_alter_table('transcripts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcripts_talk_id'), ['talk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcripts_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('transcripts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transcripts_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_transcripts_talk_id'))
    op.drop_table('transcripts')
