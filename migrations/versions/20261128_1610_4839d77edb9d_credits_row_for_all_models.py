"""Attribution credits may hold one row for all five models (model 'all').

Reviewed by hand: the CHECK constraint on ``model`` admits 'all'. A lead whose credits are the
same under every model (one eligible touch, or none: most leads) is then stored as one row
instead of five; reports read a model's rows and the 'all' rows
(``reports.models.counted_under``). Existing rows stay as they are and stay correct: a lead's
next refresh writes it the new way. Downgrade turns each 'all' row back into five rows.

Revision ID: 4839d77edb9d
Revises: 9a67353c8192
Create Date: 2026-11-28 16:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4839d77edb9d'
down_revision = '9a67353c8192'
branch_labels = None
depends_on = None

MODELS = ('first_touch', 'last_touch', 'linear', 'time_decay', 'position_based')
COLUMNS = (
    'lead_id, touchpoint_id, partner_id, campaign_id, webinar_id, channel, segment, credit, '
    'lead_created_at'
)


def _allow(values):
    with op.batch_alter_table('attribution_credits', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attribution_credits_model'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_attribution_credits_model'),
            "model IN ({})".format(", ".join(f"'{value}'" for value in values)),
        )


def upgrade():
    _allow(MODELS + ('all',))


def downgrade():
    for model in MODELS:
        op.execute(
            f"INSERT INTO attribution_credits (model, {COLUMNS}) "
            f"SELECT '{model}', {COLUMNS} FROM attribution_credits WHERE model = 'all'"
        )
    op.execute("DELETE FROM attribution_credits WHERE model = 'all'")
    _allow(MODELS)
