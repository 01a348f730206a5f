"""Tiers partners earn, and every move between them.

Reviewed by hand (contract §11). ``tiers`` holds each level with its criteria over the last
12 months (paying clients owned, their payments in RUB; NULL: not a criterion) and its
benefits (commission rate, MDF share); names and ranks are unique. ``tier_moves`` keeps every
move of a partner (from, to, when, why, the figures it was judged on, and whether a person
made it), read per partner. Partners gain whether their tier is locked by hand (false for
everyone now: evaluation may move them), since when they have been below their tier's
criteria (the grace period) and the tier's MDF share (NULL: the program's default). The
existing free-text ``tier`` stays the tier's name.

Revision ID: 3e5a7c9d1f42
Revises: 8d2f5b0c3e71
Create Date: 2026-12-04 23:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3e5a7c9d1f42'
down_revision = '8d2f5b0c3e71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tiers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('customers_12m', sa.Integer(), nullable=True),
        sa.Column('revenue_12m', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('commission_rate', sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column('mdf_share', sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('commission_rate >= 0 AND commission_rate <= 1', name=op.f('ck_tiers_rate_share')),
        sa.CheckConstraint('mdf_share IS NULL OR (mdf_share >= 0 AND mdf_share <= 1)', name=op.f('ck_tiers_mdf')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tiers')),
        sa.UniqueConstraint('name', name=op.f('uq_tiers_name')),
        sa.UniqueConstraint('rank', name=op.f('uq_tiers_rank')),
    )
    op.create_table(
        'tier_moves',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('from_tier', sa.String(length=20), nullable=True),
        sa.Column('to_tier', sa.String(length=20), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('customers_12m', sa.Integer(), nullable=False),
        sa.Column('revenue_12m', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('by_hand', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_tier_moves_partner_id_partners'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_moves')),
    )
    with op.batch_alter_table('tier_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_moves_partner_id'), ['partner_id'], unique=False)

    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('tier_locked', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('below_tier_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('mdf_share', sa.Numeric(precision=9, scale=6), nullable=True))
    # The default only filled the existing rows; new rows get theirs from the application.
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.alter_column('tier_locked', server_default=None)


def downgrade():
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_column('mdf_share')
        batch_op.drop_column('below_tier_since')
        batch_op.drop_column('tier_locked')
    with op.batch_alter_table('tier_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_moves_partner_id'))
    op.drop_table('tier_moves')
    op.drop_table('tiers')
