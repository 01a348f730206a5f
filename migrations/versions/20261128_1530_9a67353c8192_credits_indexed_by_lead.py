"""Attribution credits indexed by lead first, so refreshing a lead's credits is a lookup.

Reviewed by hand: the index (model, lead_id) becomes (lead_id, model). Deleting a batch of
leads' credits (``reports.credits.refresh_credits``, ``ON DELETE CASCADE`` from leads) filters
by lead alone, which the old order could not serve: every refresh scanned the whole table, so
a 100,000-row import slowed down chunk after chunk. Report joins look up ``model = ? AND
lead_id = ?``, which the new order serves as well. No data changes.

Revision ID: 9a67353c8192
Revises: 44ab1978fe68
Create Date: 2026-11-28 15:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9a67353c8192'
down_revision = '44ab1978fe68'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_attribution_credits_model_lead_id')
        batch_op.create_index('ix_attribution_credits_lead_id_model', ['lead_id', 'model'], unique=False)


def downgrade():
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_attribution_credits_lead_id_model')
        batch_op.create_index('ix_attribution_credits_model_lead_id', ['model', 'lead_id'], unique=False)
