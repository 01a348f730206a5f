"""What comes back from the CRM: its events, lead status history, won amounts.

Reviewed by hand (contract §8). ``crm_events`` keeps every event a CRM sends (and every object
``crm sync`` reads) before it is answered, until the worker applies it or leaves it unmatched
for a marketer to see; the worker's queue reads it by state and time. ``lead_status_changes``
is each lead's status history, read per lead in time order. ``leads`` gains the CRM time of the
state its status came from (``crm_status_at``: an older state never overwrites a newer one),
the won deal's amount and when it first became a customer; existing customers are backfilled
from their first payment. Destinations gain the hashes that verify what a CRM sends, whether
won deals become payments (off for existing ones) and the CRM time of the last sync; a
payment's ``source`` may be ``crm`` (its CHECK is rebuilt with the new value).

Revision ID: 6659aea2671c
Revises: e5f1a7c3d9b2
Create Date: 2026-12-04 21:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '6659aea2671c'
down_revision = 'e5f1a7c3d9b2'
branch_labels = None
depends_on = None

SOURCES_CHECK = "source IN ({})"
OLD_SOURCES = "'api', 'import', 'manual', 'demo'"
NEW_SOURCES = OLD_SOURCES + ", 'crm'"


def upgrade():
    op.create_table('crm_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'applied', 'unmatched', 'ignored', name='state', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['destination_id'], ['crm_destinations.id'], name=op.f('fk_crm_events_destination_id_crm_destinations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_crm_events_lead_id_leads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_events'))
    )
    with op.batch_alter_table('crm_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_events_destination_id'), ['destination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_events_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index('ix_crm_events_state_received_at', ['state', 'received_at'], unique=False)

    op.create_table('lead_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('previous', sa.Enum('new', 'working', 'customer', 'lost', name='previous', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('status', sa.Enum('new', 'working', 'customer', 'lost', name='status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.Enum('crm', 'payment', name='source', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('won_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_status_changes_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_status_changes'))
    )
    with op.batch_alter_table('lead_status_changes', schema=None) as batch_op:
        batch_op.create_index('ix_lead_status_changes_lead_id_changed_at', ['lead_id', 'changed_at'], unique=False)

    with op.batch_alter_table('crm_destinations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('app_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hook_secret_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column('payments_from_deals', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('synced_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crm_status_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('won_amount', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('customer_since', sa.DateTime(timezone=True), nullable=True))

    # The default only filled the existing rows; new rows get theirs from the application.
    with op.batch_alter_table('crm_destinations', schema=None) as batch_op:
        batch_op.alter_column('payments_from_deals', server_default=None)
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payments_source'), type_='check')
        batch_op.create_check_constraint('source', SOURCES_CHECK.format(NEW_SOURCES))
    op.execute(
        "UPDATE leads SET customer_since = first_payment_at"
        " WHERE status = 'customer' AND first_payment_at IS NOT NULL"
    )



def downgrade():
    # Payments from deals stay (they are the partners' commissions); they read as API ones.
    op.execute("UPDATE payments SET source = 'api' WHERE source = 'crm'")
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payments_source'), type_='check')
        batch_op.create_check_constraint('source', SOURCES_CHECK.format(OLD_SOURCES))
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('customer_since')
        batch_op.drop_column('won_amount')
        batch_op.drop_column('crm_status_at')

    with op.batch_alter_table('crm_destinations', schema=None) as batch_op:
        batch_op.drop_column('synced_at')
        batch_op.drop_column('payments_from_deals')
        batch_op.drop_column('hook_secret_hash')
        batch_op.drop_column('app_token_hash')

    with op.batch_alter_table('lead_status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_status_changes_lead_id_changed_at')

    op.drop_table('lead_status_changes')
    with op.batch_alter_table('crm_events', schema=None) as batch_op:
        batch_op.drop_index('ix_crm_events_state_received_at')
        batch_op.drop_index(batch_op.f('ix_crm_events_lead_id'))
        batch_op.drop_index(batch_op.f('ix_crm_events_destination_id'))

    op.drop_table('crm_events')
