"""everyday flow: partnership settings and logo, certificate e-mail choice, practice attempts,
decision options explored

``partnership_settings``: settings changed on the admin settings page (support lines, local
contacts, reporting targets); ``partnership_assets``: the logo. ``users.email_certificates``: the
learner's choice to be emailed their certificate on completion. ``learning_quiz_attempts.practice``:
attempts after a pass that never change the record. ``learning_decision_choices.explored``: the
other options a learner opened after their first choice.

Revision ID: 3c8f5e2a9d41
Revises: 85b9df85bb87
Create Date: 2026-12-03 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c8f5e2a9d41'
down_revision = '85b9df85bb87'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partnership_settings',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_partnership_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_partnership_settings'))
    )
    op.create_table('partnership_assets',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_partnership_assets_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_partnership_assets'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_certificates', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('learning_quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('learning_decision_choices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('explored', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('learning_decision_choices', schema=None) as batch_op:
        batch_op.drop_column('explored')
    with op.batch_alter_table('learning_quiz_attempts', schema=None) as batch_op:
        batch_op.drop_column('practice')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_certificates')
    op.drop_table('partnership_assets')
    op.drop_table('partnership_settings')
