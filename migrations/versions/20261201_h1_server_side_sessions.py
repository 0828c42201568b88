"""accounts: server-side sessions, so that signing out ends one session for good

Each signed-in browser gets a row in user_sessions (only a hash of its token is stored). Ending
rows replaces the per-user session_version, which could end every session of an account but not
one alone.

Revision ID: 5a1e3c9d7b20
Revises: 5d3c0a9e41b7
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1e3c9d7b20'
down_revision = '5d3c0a9e41b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch copy of users: copying would
    # drop and recreate the table that every other table's foreign keys point at. Sessions signed
    # in before this revision end, as they carry no session token.
    op.drop_column('users', 'session_version')


def downgrade():
    op.add_column('users', sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
