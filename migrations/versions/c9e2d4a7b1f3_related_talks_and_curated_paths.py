"""related talks and curated paths

Revision ID: c9e2d4a7b1f3
Revises: b8d4f1a6c2e9
Create Date: 2026-12-04 10:00:00

Related talks, stored once per change, and their outbox (webapp/related/); curated paths, the
organisers' ordered reading lists of talks (webapp/paths/).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c9e2d4a7b1f3'
down_revision = 'b8d4f1a6c2e9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('curated_paths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=True),
    sa.Column('introduction_source', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'published', name='status', native_enum=False, length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curated_paths')),
    sa.UniqueConstraint('slug', name=op.f('uq_curated_paths_slug'))
    )
    with op.batch_alter_table('curated_paths', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curated_paths_status'), ['status'], unique=False)

    op.create_table('related_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_queue'))
    )
    op.create_table('curated_path_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['path_id'], ['curated_paths.id'], name=op.f('fk_curated_path_items_path_id_curated_paths'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talk_id'], ['talks.id'], name=op.f('fk_curated_path_items_talk_id_talks'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curated_path_items')),
    sa.UniqueConstraint('path_id', 'talk_id', name=op.f('uq_curated_path_items_path_id'))
    )
    with op.batch_alter_table('curated_path_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curated_path_items_talk_id'), ['talk_id'], unique=False)

    op.create_table('related_talks',
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('related_talk_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['related_talk_id'], ['talks.id'], name=op.f('fk_related_talks_related_talk_id_talks'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talk_id'], ['talks.id'], name=op.f('fk_related_talks_talk_id_talks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('talk_id', 'rank', name=op.f('pk_related_talks'))
    )
    with op.batch_alter_table('related_talks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_related_talks_related_talk_id'), ['related_talk_id'], unique=False)

def downgrade():
    with op.batch_alter_table('related_talks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_related_talks_related_talk_id'))

    op.drop_table('related_talks')
    with op.batch_alter_table('curated_path_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curated_path_items_talk_id'))

    op.drop_table('curated_path_items')
    op.drop_table('related_queue')
    with op.batch_alter_table('curated_paths', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curated_paths_status'))

    op.drop_table('curated_paths')
