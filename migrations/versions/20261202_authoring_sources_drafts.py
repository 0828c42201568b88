"""authoring: the text of every published file, who published what and why, and drafts

``content_sources``: the exact text of each published file by its version's content hash (and the
pictures it uses), so history, diffs, restore and ZIP export can rebuild the folder.
``content_publications``: one row per import or publish (who, when, the change note, how), which
new versions point at. ``content_drafts``: files of a course folder being changed in the browser.

Revision ID: 85b9df85bb87
Revises: 4e7a1c93b2d5
Create Date: 2026-12-02 02:24:16.898441

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '85b9df85bb87'
down_revision = '4e7a1c93b2d5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_sources',
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('content_hash', name=op.f('pk_content_sources'))
    )
    op.create_table('content_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('asset_sha256', sa.String(length=64), nullable=True),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('base_hash', sa.String(length=64), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_content_drafts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_drafts')),
    sa.UniqueConstraint('path', name=op.f('uq_content_drafts_path'))
    )
    op.create_table('content_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=False),
    sa.Column('origin', sa.Enum('folder', 'browser', 'upload', 'restore', name='publicationorigin', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_content_publications_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_publications'))
    )
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_course_versions_publication_id'), ['publication_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_course_versions_publication_id_content_publications'), 'content_publications', ['publication_id'], ['id'])

    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_module_versions_publication_id'), ['publication_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_module_versions_publication_id_content_publications'), 'content_publications', ['publication_id'], ['id'])



def downgrade():
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_module_versions_publication_id_content_publications'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_module_versions_publication_id'))
        batch_op.drop_column('publication_id')

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_course_versions_publication_id_content_publications'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_course_versions_publication_id'))
        batch_op.drop_column('publication_id')

    op.drop_table('content_publications')
    op.drop_table('content_drafts')
    op.drop_table('content_sources')
