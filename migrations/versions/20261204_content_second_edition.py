"""content, second edition: module sources, skippable sections, "summary viewed"

``module_versions.sources``: the sources a module rests on, from the register, as at import.
``module_sections.summary_html``: the summary a learner can read instead of a hard section.
``learning_section_visits.summary_only``: the learner read that summary instead of the section
(all that is kept: never why).

Revision ID: 7d2b9c4e1f60
Revises: 3c8f5e2a9d41
Create Date: 2026-12-04 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2b9c4e1f60'
down_revision = '3c8f5e2a9d41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('module_sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary_html', sa.Text(), nullable=True))
    with op.batch_alter_table('learning_section_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary_only', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('learning_section_visits', schema=None) as batch_op:
        batch_op.drop_column('summary_only')
    with op.batch_alter_table('module_sections', schema=None) as batch_op:
        batch_op.drop_column('summary_html')
    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.drop_column('sources')
