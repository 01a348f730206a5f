"""Today's clicks rolled up too, up to a minute ago: ``rollup_marks.through_at``, ``click_addresses``.

Reviewed by hand. Reports read the raw clicks of the open UTC day, ranked for floods, which
grows with the traffic (4,000 clicks a report at demo scale 100, ten times that at 1000).
Floods now rank a day's clicks by arrival (``clicked_at``), and every click older than a
minute is committed, so the rollup goes on to a moment rather than a day: ``through_at`` on
the ``click_days`` mark (UTC; the clicks before it are in ``click_days``, ``through`` stays
the last whole day). ``click_addresses`` holds the human clicks already rolled up per link,
UTC day and visitor address, where a flood's count resumes for the clicks after the mark
(only yesterday's and today's are kept).

Existing data: ``through_at`` is the start of the day after ``through``, what is rolled up
already; ``click_addresses`` starts empty, which is right: that day is not rolled up at all.
Downgrade: the days after ``through`` (rolled up in part) are taken out of ``click_days``, so
the day rollup adds them again, whole.

Revision ID: b5d7f9a1c3e2
Revises: 9a4c6e2b8d13
Create Date: 2026-12-05 04:15:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "b5d7f9a1c3e2"
down_revision = "9a4c6e2b8d13"
branch_labels = None
depends_on = None

# The start (UTC) of the day after ``through``: SQLite keeps naive UTC text as SQLAlchemy
# writes it (microseconds included, so it compares as text with the clicks' moments).
DAY_AFTER = {
    "sqlite": "date(through, '+1 day') || ' 00:00:00.000000'",
    "postgresql": "(through + 1)::timestamp AT TIME ZONE 'UTC'",
}


def upgrade():
    with op.batch_alter_table("rollup_marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("through_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "click_addresses",
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ip_hash", sa.String(length=64), nullable=False),
        sa.Column("humans", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["links.id"],
            name=op.f("fk_click_addresses_link_id_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", "day", "ip_hash", name=op.f("pk_click_addresses")),
    )
    day_after = DAY_AFTER[op.get_bind().dialect.name]
    op.execute(f"UPDATE rollup_marks SET through_at = {day_after} WHERE name = 'click_days'")


def downgrade():
    op.execute(
        "DELETE FROM click_days WHERE day >"
        " (SELECT through FROM rollup_marks WHERE name = 'click_days')"
    )
    op.drop_table("click_addresses")
    with op.batch_alter_table("rollup_marks", schema=None) as batch_op:
        batch_op.drop_column("through_at")
