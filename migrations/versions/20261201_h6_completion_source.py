"""learning: where each completion came from (online, manual, briefing)

``learning_completions.source``: every existing completion was done online unless the reports
area holds a manual record for it. From now on no area needs another's tables to tell them
apart (certificates are issued for online completions only).

Revision ID: 5d3c0a9e41b7
Revises: 7d3f1c9a2b6e
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d3c0a9e41b7'
down_revision = '7d3f1c9a2b6e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learning_completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'source',
            sa.Enum('online', 'manual', 'briefing', name='completionsource', native_enum=False, length=32),
            server_default='online', nullable=False,
        ))
    op.execute(
        "UPDATE learning_completions SET source = 'manual' "
        "WHERE id IN (SELECT completion_id FROM report_manual_completions)"
    )


def downgrade():
    with op.batch_alter_table('learning_completions', schema=None) as batch_op:
        batch_op.drop_column('source')
