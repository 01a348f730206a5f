"""Credit rows carry their lead's status and time to customer: the funnel reads one table.

Reviewed by hand. The ROI report's funnel (working, won, lost, days to customer; issue 18)
joined every credit of the period to its lead, one row lookup per credit, which made the
report 1.6–1.9× slower. Each credit row now carries ``lead_status`` and, for a customer,
``lead_customer_seconds`` (whole seconds from creation to customer), kept current by the
attribution subscriber when a status or customer time changes; the period index covers the
status, so the funnel is answered from the index alone. Existing rows are backfilled from
their leads (the seconds per dialect: julianday on SQLite, epoch on PostgreSQL).

Revision ID: 8dab2b4e6097
Revises: 7c9e1a3d5f86
Create Date: 2026-12-05 02:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8dab2b4e6097'
down_revision = '7c9e1a3d5f86'
branch_labels = None
depends_on = None

OLD = ['partner_id', 'campaign_id', 'webinar_id', 'channel', 'segment', 'credit']
NEW = ['partner_id', 'campaign_id', 'webinar_id', 'channel', 'segment', 'lead_status', 'credit']
SECONDS = {
    'sqlite': "CAST(ROUND((julianday(l.customer_since) - julianday(l.created_at)) * 86400)"
              " AS INTEGER)",
    'postgresql': "CAST(EXTRACT(EPOCH FROM l.customer_since - l.created_at) AS INTEGER)",
}


def upgrade():
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lead_status', sa.String(length=16), nullable=False, server_default='new')
        )
        batch_op.add_column(sa.Column('lead_customer_seconds', sa.Integer(), nullable=True))
        batch_op.drop_index('ix_attribution_credits_period')
        batch_op.create_index(
            'ix_attribution_credits_period', ['model', 'lead_created_at', *NEW], unique=False
        )
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.alter_column('lead_status', server_default=None)
    seconds = SECONDS[op.get_bind().dialect.name]
    op.execute(
        "UPDATE attribution_credits SET lead_status = "
        "(SELECT l.status FROM leads l WHERE l.id = attribution_credits.lead_id)"
    )
    op.execute(
        f"UPDATE attribution_credits SET lead_customer_seconds = (SELECT {seconds} FROM leads l"
        " WHERE l.id = attribution_credits.lead_id AND l.status = 'customer'"
        " AND l.customer_since IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_attribution_credits_period')
        batch_op.create_index(
            'ix_attribution_credits_period', ['model', 'lead_created_at', *OLD], unique=False
        )
        batch_op.drop_column('lead_customer_seconds')
        batch_op.drop_column('lead_status')
