"""learning, certificates: withdrawn completions and the kind of reason for a revocation

``learning_completions.withdrawn_at``: set when a completion turns out not to be real (its
certificate revoked as issued in error); it then counts nowhere. ``certificates.revocation_category``:
what kind of reason a revocation had, which decides whether the completion is withdrawn.
The completions-by-date index becomes partial (not withdrawn), the rows every report counts.
Certificates revoked before this revision have none, and their completions are left as they
were.

Revision ID: 7d3f1c9a2b6e
Revises: 4cfa1488fcf0
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3f1c9a2b6e'
down_revision = '4cfa1488fcf0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learning_completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        # Reports count only completions that still count: a partial index keeps their scans
        # index-only (see modules/reports/models.py).
        batch_op.drop_index('ix_report_completions_completed_on')
        batch_op.create_index('ix_report_completions_completed_on', ['completed_on', 'user_id', 'course_id', 'id'],
                              unique=False, sqlite_where=sa.text('withdrawn_at IS NULL'),
                              postgresql_where=sa.text('withdrawn_at IS NULL'))

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'revocation_category',
            sa.Enum('issued_in_error', 'details_wrong', 'other', name='revocationcategory',
                    native_enum=False, length=32),
            nullable=True,
        ))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('revocation_category')

    with op.batch_alter_table('learning_completions', schema=None) as batch_op:
        batch_op.drop_index('ix_report_completions_completed_on')
        batch_op.create_index('ix_report_completions_completed_on', ['completed_on', 'user_id', 'course_id', 'id'],
                              unique=False)
        batch_op.drop_column('withdrawn_at')
