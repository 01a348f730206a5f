"""Commission plans by product, and monthly closes of bracketed products.

Reviewed by hand (contract §11). Payments carry a ``product`` (every existing payment was
software, the only product then). ``commission_plans`` holds one plan per product: a flat rate
on each payment, or brackets on a partner's monthly total (JSON, decimal strings), optionally
only for the first N months of each client. A monthly close writes one commission line per
partner and product for a month, so a commission line may have no single lead or payment
(both become nullable); lines gain their product (software for the existing ones), the month
they are for (``period``), the close that wrote them (``closed_in``, indexed: "nothing new"
is a lookup) and the total their bracket applied to (``basis``). ``closed_payments`` counts
each payment of a bracketed product in exactly one close.

Revision ID: 4f6b8d0e2a53
Revises: 3e5a7c9d1f42
Create Date: 2026-12-04 23:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '4f6b8d0e2a53'
down_revision = '3e5a7c9d1f42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'commission_plans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product', sa.String(length=40), nullable=False),
        sa.Column(
            'basis',
            sa.Enum('payment', 'monthly_total', name='basis', native_enum=False,
                    create_constraint=True, length=21),
            nullable=False,
        ),
        sa.Column('rate', sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column('brackets', sa.JSON(), nullable=True),
        sa.Column('months', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_plans')),
        sa.UniqueConstraint('product', name=op.f('uq_commission_plans_product')),
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('product', sa.String(length=40), nullable=False, server_default='software')
        )
        batch_op.create_index(batch_op.f('ix_payments_product'), ['product'], unique=False)
    with op.batch_alter_table('commissions', schema=None) as batch_op:
        batch_op.alter_column('lead_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('payment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column('product', sa.String(length=40), nullable=False, server_default='software')
        )
        batch_op.add_column(sa.Column('period', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('closed_in', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('basis', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.create_index(batch_op.f('ix_commissions_closed_in'), ['closed_in'], unique=False)
    # The defaults only filled the existing rows; new rows get theirs from the application.
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('product', server_default=None)
    with op.batch_alter_table('commissions', schema=None) as batch_op:
        batch_op.alter_column('product', server_default=None)
    op.create_table(
        'closed_payments',
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('commission_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_closed_payments_payment_id_payments'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['commission_id'], ['commissions.id'], name=op.f('fk_closed_payments_commission_id_commissions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('payment_id', name=op.f('pk_closed_payments')),
    )
    with op.batch_alter_table('closed_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closed_payments_commission_id'), ['commission_id'], unique=False)


def downgrade():
    with op.batch_alter_table('closed_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closed_payments_commission_id'))
    op.drop_table('closed_payments')
    # Monthly lines have no lead or payment: they cannot survive the older schema.
    op.execute('DELETE FROM commissions WHERE lead_id IS NULL OR payment_id IS NULL')
    with op.batch_alter_table('commissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commissions_closed_in'))
        batch_op.drop_column('basis')
        batch_op.drop_column('closed_in')
        batch_op.drop_column('period')
        batch_op.drop_column('product')
        batch_op.alter_column('payment_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('lead_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_product'))
        batch_op.drop_column('product')
    op.drop_table('commission_plans')
