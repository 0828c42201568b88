"""accounts and learning: what running a partnership's workforce needs

Retired agencies and teams (history kept), self-registration settings, reminder switches, when a
person joined and left and whether they are approved, invitations, requirement due windows, and
the agency a completion was recorded in (people move between agencies).

Revision ID: 9b4e2f61c0d3
Revises: 5a1e3c9d7b20
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b4e2f61c0d3'
down_revision = '5a1e3c9d7b20'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs (no batch copy): copying users or agencies would drop and recreate tables
    # every other table's foreign keys point at. Server defaults fill existing rows.
    op.add_column('agencies', sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('agencies', sa.Column('self_registration', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('agencies', sa.Column('registration_code', sa.String(length=40), nullable=True))
    op.add_column('agencies', sa.Column('registration_domains', sa.String(length=500), nullable=False, server_default=''))
    op.add_column('agencies', sa.Column('reminders_enabled', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_index('uq_agencies_registration_code', 'agencies', ['registration_code'], unique=True)

    op.add_column('teams', sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))

    op.add_column('users', sa.Column('started_on', sa.Date(), nullable=False, server_default=sa.text('CURRENT_DATE')))
    op.add_column('users', sa.Column('left_on', sa.Date(), nullable=True))
    op.add_column('users', sa.Column('approval', sa.String(length=32), nullable=False, server_default='approved'))
    op.add_column('users', sa.Column('reminders_enabled', sa.Boolean(), nullable=False, server_default=sa.true()))
    # Existing people joined when their account was made.
    op.execute("UPDATE users SET started_on = CAST(created_at AS DATE)" if op.get_context().dialect.name == 'postgresql'
               else "UPDATE users SET started_on = date(created_at)")

    op.add_column('training_requirements', sa.Column('due_within_days', sa.Integer(), nullable=False, server_default='90'))
    op.add_column('training_requirements', sa.Column('starts_on', sa.Date(), nullable=False, server_default=sa.text('CURRENT_DATE')))
    op.execute("UPDATE training_requirements SET starts_on = CAST(created_at AS DATE)" if op.get_context().dialect.name == 'postgresql'
               else "UPDATE training_requirements SET starts_on = date(created_at)")

    op.add_column('learning_completions', sa.Column('agency_id', sa.Integer(), nullable=True))
    if op.get_context().dialect.name == 'postgresql':
        op.create_foreign_key(op.f('fk_learning_completions_agency_id_agencies'), 'learning_completions', 'agencies',
                              ['agency_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE learning_completions SET agency_id = "
               "(SELECT users.agency_id FROM users WHERE users.id = learning_completions.user_id)")

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    op.create_index(op.f('ix_invitations_user_id'), 'invitations', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_invitations_user_id'), table_name='invitations')
    op.drop_table('invitations')
    if op.get_context().dialect.name == 'postgresql':
        op.drop_constraint(op.f('fk_learning_completions_agency_id_agencies'), 'learning_completions', type_='foreignkey')
    op.drop_column('learning_completions', 'agency_id')
    op.drop_column('training_requirements', 'starts_on')
    op.drop_column('training_requirements', 'due_within_days')
    for column in ('reminders_enabled', 'approval', 'left_on', 'started_on'):
        op.drop_column('users', column)
    op.drop_column('teams', 'retired_at')
    op.drop_index('uq_agencies_registration_code', table_name='agencies')
    for column in ('reminders_enabled', 'registration_domains', 'registration_code', 'self_registration', 'retired_at'):
        op.drop_column('agencies', column)
