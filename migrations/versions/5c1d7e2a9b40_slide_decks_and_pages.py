"""slide decks and their pages

Revision ID: 5c1d7e2a9b40
Revises: d25a29df9de5
Create Date: 2026-11-25 21:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1d7e2a9b40'
down_revision = 'd25a29df9de5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('slide_decks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('processing', 'ready', 'failed', name='deckstatus', native_enum=False, length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('kind', sa.Enum('pdf', 'pptx', 'odp', 'key', name='deckkind', native_enum=False, length=20), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('licence', sa.String(length=64), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['talk_id'], ['talks.id'], name=op.f('fk_slide_decks_talk_id_talks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_slide_decks_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slide_decks')),
    sa.UniqueConstraint('talk_id', 'version', name=op.f('uq_slide_decks_talk_id'))
    )
    with op.batch_alter_table('slide_decks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slide_decks_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_slide_decks_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_slide_decks_talk_id'), ['talk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_slide_decks_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('slide_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deck_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('thumb_key', sa.String(length=64), nullable=True),
    sa.Column('image_key', sa.String(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deck_id'], ['slide_decks.id'], name=op.f('fk_slide_pages_deck_id_slide_decks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slide_pages')),
    sa.UniqueConstraint('deck_id', 'number', name=op.f('uq_slide_pages_deck_id'))
    )


def downgrade():
    op.drop_table('slide_pages')
    with op.batch_alter_table('slide_decks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slide_decks_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_slide_decks_talk_id'))
        batch_op.drop_index(batch_op.f('ix_slide_decks_status'))
        batch_op.drop_index(batch_op.f('ix_slide_decks_sha256'))

    op.drop_table('slide_decks')
