"""reminders: what was sent to whom (so nothing is sent twice), and the outgoing-mail queue

``reminder_log``: one row per learner, course, kind (due soon, overdue) and due date, claimed
with INSERT ... ON CONFLICT DO NOTHING before the reminder is queued. ``digest_log``: one row per
manager and ISO week. ``outgoing_mail``: every reminder and digest, written in the same
transaction as its log row and delivered (and retried) by ``flask reminders send``.

Revision ID: 4e7a1c93b2d5
Revises: 9b4e2f61c0d3
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e7a1c93b2d5'
down_revision = '9b4e2f61c0d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outgoing_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='mailstatus', native_enum=False,
                                    length=32), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail')),
    )
    op.create_index('ix_outgoing_mail_status_next', 'outgoing_mail', ['status', 'next_attempt_at'])
    op.create_table(
        'reminder_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('due_soon', 'overdue', name='reminderkind', native_enum=False, length=32),
                  nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_log_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_reminder_log_course_id_courses'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
        sa.UniqueConstraint('user_id', 'course_id', 'kind', 'due_on', name='uq_reminder_log_once'),
    )
    op.create_table(
        'digest_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('manager_id', sa.Integer(), nullable=False),
        sa.Column('iso_week', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['manager_id'], ['users.id'], name=op.f('fk_digest_log_manager_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_log')),
        sa.UniqueConstraint('manager_id', 'iso_week', name='uq_digest_log_once'),
    )


def downgrade():
    op.drop_table('digest_log')
    op.drop_table('reminder_log')
    op.drop_index('ix_outgoing_mail_status_next', table_name='outgoing_mail')
    op.drop_table('outgoing_mail')
