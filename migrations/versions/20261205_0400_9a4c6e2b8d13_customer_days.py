"""The median days to customer from a rollup too (issue 23): ``customer_days``.

Reviewed by hand. Per UTC day of the leads' creation (and per month, the sum of its days),
model and touch, and per whole number of days from creation to customer: the credits of the
leads that are customers, summed in whole units of a credit's last place (10⁻¹⁰, ``weight``:
integers add up exactly on SQLite too). A report's median is the credit-weighted median of those days
(``reports.customer_days``), read from days × touches × a few dozen day counts instead of
every customer's credits. Rebuilt with ``credit_days`` for the days the existing triggers mark
dirty: a customer's days sit on its lead's creation day, which every write to its credits
marks.

The covering index the median read from (``ix_attribution_credits_customers``) is dropped: no
report reads it any more, and every credit write paid for it. Existing data: the creation days
of today's customers are marked dirty, so the first report fills the new rollup.

Revision ID: 9a4c6e2b8d13
Revises: 7e3f2a9c4b10
Create Date: 2026-12-05 04:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "9a4c6e2b8d13"
down_revision = "7e3f2a9c4b10"
branch_labels = None
depends_on = None

DAY = {
    "sqlite": "date(lead_created_at)",
    "postgresql": "(lead_created_at AT TIME ZONE 'UTC')::date",
}
CUSTOMERS = ["model", "lead_status", "lead_created_at", "partner_id", "campaign_id", "webinar_id",
             "channel", "segment", "lead_id", "lead_customer_seconds"]  # fmt: skip


def upgrade():
    op.create_table(
        "customer_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grain", sa.String(length=5), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("webinar_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("segment", sa.String(length=40), nullable=True),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_days")),
    )
    with op.batch_alter_table("customer_days", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_days_model_day", ["model", "grain", "day"], unique=False
        )
    with op.batch_alter_table("attribution_credits", schema=None) as batch_op:
        batch_op.drop_index("ix_attribution_credits_customers")
    day = DAY[op.get_bind().dialect.name]
    op.execute(
        f"INSERT INTO credit_dirty_days (day) SELECT DISTINCT {day} FROM attribution_credits"
        " WHERE lead_customer_seconds IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("attribution_credits", schema=None) as batch_op:
        batch_op.create_index("ix_attribution_credits_customers", CUSTOMERS, unique=False)
    with op.batch_alter_table("customer_days", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_days_model_day")
    op.drop_table("customer_days")
