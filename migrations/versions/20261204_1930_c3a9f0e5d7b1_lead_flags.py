"""Lead flags: self-referrals hold their commissions until a manager clears them.

Reviewed by hand: one table. A flag stands while ``cleared_at`` is NULL; approving due
commissions skips the leads with a standing flag (``commissions.services.approve_due``), so
the lookup by lead is indexed. Partner and clearing user are kept loosely (SET NULL).

Revision ID: c3a9f0e5d7b1
Revises: b7d2e4f1a3c5
Create Date: 2026-12-04 19:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3a9f0e5d7b1'
down_revision = 'b7d2e4f1a3c5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lead_flags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column(
            'kind',
            sa.Enum('self_referral', name='kind', native_enum=False, create_constraint=True,
                    length=21),
            nullable=False,
        ),
        sa.Column('partner_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('cleared_by_id', sa.Integer(), nullable=True),
        sa.Column('clear_comment', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_flags_lead_id_leads'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_lead_flags_partner_id_partners'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['cleared_by_id'], ['users.id'], name=op.f('fk_lead_flags_cleared_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_flags')),
    )
    with op.batch_alter_table('lead_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_flags_lead_id'), ['lead_id'], unique=False)


def downgrade():
    with op.batch_alter_table('lead_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_flags_lead_id'))
    op.drop_table('lead_flags')
