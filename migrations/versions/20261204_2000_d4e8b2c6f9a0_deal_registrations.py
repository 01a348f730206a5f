"""Deal registrations: accepted, pending for a manager, or rejected.

Reviewed by hand: one table. A partner's registration of a client it found is kept with its
outcome (contract §7): ``accepted`` (the partner owns the person), ``pending`` (a known person
without a protected owner, until a manager decides) or ``rejected``. Contacts are what the
partner typed and are erased with the person. Listed by partner and by status (the managers'
queue), so both are indexed.

Revision ID: d4e8b2c6f9a0
Revises: c3a9f0e5d7b1
Create Date: 2026-12-04 20:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4e8b2c6f9a0'
down_revision = 'c3a9f0e5d7b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'deal_registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('company', sa.String(length=200), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column(
            'status',
            sa.Enum('accepted', 'pending', 'rejected', name='status', native_enum=False,
                    create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_comment', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_deal_registrations_partner_id_partners'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_deal_registrations_lead_id_leads'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_deal_registrations_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_deal_registrations_decided_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_registrations')),
    )
    with op.batch_alter_table('deal_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_registrations_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_registrations_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_registrations_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('deal_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_registrations_status'))
        batch_op.drop_index(batch_op.f('ix_deal_registrations_lead_id'))
        batch_op.drop_index(batch_op.f('ix_deal_registrations_partner_id'))
    op.drop_table('deal_registrations')
