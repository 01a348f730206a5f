"""Joint business plans: a partner's goals for a quarter or a month.

Reviewed by hand (contract §9, issue 19): one table. A plan keeps its period as written
(``2026-Q4``, ``2026-12``) with its first day and the day after its end, so the current
period's plans are found by date; the goals (webinars, leads, customers, revenue in RUB) are
nullable — no goal — and never negative. One plan per partner and period (the unique
constraint also serves the partner's list). The actuals are read from the live data, never
stored. Plans go with their partner (CASCADE) and outlive the user who recorded them
(SET NULL).

Revision ID: 8d2f5b0c3e71
Revises: 7c1e4a9b2d60
Create Date: 2026-12-04 22:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8d2f5b0c3e71'
down_revision = '7c1e4a9b2d60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_plans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_before', sa.Date(), nullable=False),
        sa.Column('webinars', sa.Integer(), nullable=True),
        sa.Column('leads', sa.Integer(), nullable=True),
        sa.Column('customers', sa.Integer(), nullable=True),
        sa.Column('revenue', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('agreed_by', sa.String(length=200), nullable=False),
        sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('ends_before > starts_on', name=op.f('ck_partner_plans_period_in_order')),
        sa.CheckConstraint(
            '(webinars IS NULL OR webinars >= 0) AND (leads IS NULL OR leads >= 0)'
            ' AND (customers IS NULL OR customers >= 0) AND (revenue IS NULL OR revenue >= 0)',
            name=op.f('ck_partner_plans_goals_not_negative'),
        ),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_plans_partner_id_partners'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_partner_plans_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_plans')),
        sa.UniqueConstraint('partner_id', 'period', name=op.f('uq_partner_plans_partner_id_period')),
    )
    with op.batch_alter_table('partner_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_plans_starts_on'), ['starts_on'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_plans_starts_on'))
    op.drop_table('partner_plans')
