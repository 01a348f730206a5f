"""A conversion keeps the name and company its submission gave.

Reviewed by hand: a public submission (a registration page, a landing page's intake token, a
partner's token) no longer overwrites a known person's stored name and company (contract §7);
what it said stays on its conversion instead. Two columns, empty for the conversions before
this change (their values went to the lead, as they were then).

Revision ID: b7d2e4f1a3c5
Revises: 5c1e0d7a2b94
Create Date: 2026-12-04 19:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7d2e4f1a3c5'
down_revision = '5c1e0d7a2b94'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conversions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('name', sa.String(length=200), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('company', sa.String(length=200), nullable=False, server_default='')
        )
    # The default only filled the existing rows; new rows get theirs from the application.
    with op.batch_alter_table('conversions', schema=None) as batch_op:
        batch_op.alter_column('name', server_default=None)
        batch_op.alter_column('company', server_default=None)


def downgrade():
    with op.batch_alter_table('conversions', schema=None) as batch_op:
        batch_op.drop_column('company')
        batch_op.drop_column('name')
