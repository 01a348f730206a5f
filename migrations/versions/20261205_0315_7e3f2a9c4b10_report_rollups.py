"""The ROI report's credited figures and registrations rolled up per day (issue 23).

Reviewed by hand. ``credit_days`` holds, per UTC day (and per month, the sum of its days), model and touch, the sums the report's
credited figures read (leads and the funnel, customers, revenue, commissions); a report adds
up days rather than every credit, payment and commission of its period. ``credit_dirty_days``
names the days to rebuild: triggers write one in the transaction of every write that can
change a day's sums, whoever writes (services, bulk loads, cascades), and the report rebuilds
those days before it reads (``reports.credit_days``). The days a row touches:

- a credit: its lead's creation day, its lead's first payment day, its lead's payment days;
- a lead's first payment moving (or the lead deleted): the old and new day;
- a payment: its day, and the days of the payments its closed monthly line counted (their
  shares of the line depend on its amount);
- a commission: its payment's day, and the days of the payments it counted (a monthly line);
- a closed payment: the days of its payment and of every payment its line counts;
- a registration: its day (``registration_days``: registrations per day, webinar, partner).

The median days to customer, which no sum can give, still reads credits: those of customers,
from a covering index of their own (``ix_attribution_credits_customers``).

SQLite runs one trigger per event in SQL; PostgreSQL one PL/pgSQL function per table, which
writes a day once per transaction (``xact``). Existing data: every day that holds a credit, a
first payment or a payment is marked dirty, so the first report fills the rollup.

Revision ID: 7e3f2a9c4b10
Revises: 5c1e0b7a9d21
Create Date: 2026-12-05 03:15:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "7e3f2a9c4b10"
down_revision = "5c1e0b7a9d21"
branch_labels = None
depends_on = None

DAY = {
    "sqlite": "date({})",
    "postgresql": "(({}) AT TIME ZONE 'UTC')::date",
}
# The days a row (``{r}``: NEW or OLD) touches, per table: SELECTs of one column, joined by
# UNION; ``{day}`` is the dialect's UTC day of a timestamp.
TOUCHED = {
    "attribution_credits": (
        "SELECT {day:r.lead_created_at}",
        "SELECT {day:l.first_payment_at} FROM leads l WHERE l.id = {r}.lead_id",
        "SELECT {day:p.paid_at} FROM payments p WHERE p.lead_id = {r}.lead_id",
    ),
    "leads": ("SELECT {day:r.first_payment_at}",),
    "payments": (
        "SELECT {day:r.paid_at}",
        "SELECT {day:p.paid_at} FROM closed_payments c"
        " JOIN closed_payments o ON o.commission_id = c.commission_id"
        " JOIN payments p ON p.id = o.payment_id WHERE c.payment_id = {r}.id",
    ),
    "commissions": (
        "SELECT {day:p.paid_at} FROM payments p WHERE p.id = {r}.payment_id",
        "SELECT {day:p.paid_at} FROM closed_payments c JOIN payments p ON p.id = c.payment_id"
        " WHERE c.commission_id = {r}.id",
    ),
    "registrations": ("SELECT {day:r.registered_at}",),
    "closed_payments": (
        "SELECT {day:p.paid_at} FROM payments p WHERE p.id = {r}.payment_id",
        "SELECT {day:p.paid_at} FROM closed_payments c JOIN payments p ON p.id = c.payment_id"
        " WHERE c.commission_id = {r}.commission_id",
    ),
}
# leads: only a first payment that moves, or a lead that goes, changes a day.
EVENTS = {"leads": ("UPDATE OF first_payment_at", "DELETE")}
ALL_EVENTS = ("INSERT", "UPDATE", "DELETE")
# The median days to customer still reads credits: those of customers, from an index of their own.
CUSTOMERS = ["model", "lead_status", "lead_created_at", "partner_id", "campaign_id", "webinar_id",
             "channel", "segment", "lead_id", "lead_customer_seconds"]  # fmt: skip


def _days(table, dialect, r):
    """The UNION of the days a row ``r`` of ``table`` touches."""
    parts = []
    for part in TOUCHED[table]:
        head, _, tail = part.partition("{day:")
        column, _, rest = tail.partition("}")
        column = column.replace("r.", f"{r}.", 1) if column.startswith("r.") else column
        parts.append(head + DAY[dialect].format(column) + " AS d" + rest.format(r=r))
    return " UNION ".join(parts)


def _sqlite_triggers():
    for table in TOUCHED:
        for event in EVENTS.get(table, ALL_EVENTS):
            rows = {"INSERT": ("NEW",), "DELETE": ("OLD",)}.get(event, ("NEW", "OLD"))
            days = " UNION ".join(_days(table, "sqlite", r) for r in rows)
            name = f"{table}_dirty_days_{event.split()[0].lower()}"
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN"
                f" INSERT INTO credit_dirty_days (day) SELECT d FROM ({days})"
                " WHERE d IS NOT NULL AND d NOT IN (SELECT day FROM credit_dirty_days); END"
            )


def _postgresql_triggers():
    op.execute(
        "CREATE FUNCTION credit_dirty_day(d date) RETURNS void AS $$ BEGIN"
        " IF d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM credit_dirty_days"
        " WHERE day = d AND xact = txid_current()) THEN"
        " INSERT INTO credit_dirty_days (day, xact) VALUES (d, txid_current()); END IF;"
        " END $$ LANGUAGE plpgsql"
    )
    for table in TOUCHED:
        new, old = _days(table, "postgresql", "NEW"), _days(table, "postgresql", "OLD")
        op.execute(
            f"CREATE FUNCTION {table}_dirty_days() RETURNS trigger AS $$ BEGIN"
            f" IF TG_OP <> 'DELETE' THEN PERFORM credit_dirty_day(d) FROM ({new}) AS t;"
            " END IF;"
            f" IF TG_OP <> 'INSERT' THEN PERFORM credit_dirty_day(d) FROM ({old}) AS t;"
            " END IF; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        events = " OR ".join(EVENTS.get(table, ALL_EVENTS))
        op.execute(
            f"CREATE TRIGGER {table}_dirty_days AFTER {events} ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {table}_dirty_days()"
        )


def upgrade():
    op.create_table(
        "credit_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grain", sa.String(length=5), nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("webinar_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("segment", sa.String(length=40), nullable=True),
        sa.Column("leads", sa.Numeric(), nullable=False),
        sa.Column("working", sa.Numeric(), nullable=False),
        sa.Column("won", sa.Numeric(), nullable=False),
        sa.Column("lost", sa.Numeric(), nullable=False),
        sa.Column("customers", sa.Numeric(), nullable=False),
        sa.Column("revenue", sa.Numeric(), nullable=False),
        sa.Column("commissions", sa.Numeric(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_days")),
    )
    with op.batch_alter_table("credit_days", schema=None) as batch_op:
        batch_op.create_index(
            "ix_credit_days_model_day", ["model", "grain", "day"], unique=False
        )
    op.create_table(
        "credit_dirty_days",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("xact", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_dirty_days")),
    )
    with op.batch_alter_table("credit_dirty_days", schema=None) as batch_op:
        batch_op.create_index("ix_credit_dirty_days_day", ["day", "xact"], unique=False)
    op.create_table(
        "registration_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("webinar_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("registrations", sa.Integer(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_days")),
    )
    with op.batch_alter_table("registration_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registration_days_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_registration_days_webinar_id"), ["webinar_id"], unique=False
        )
    with op.batch_alter_table("attribution_credits", schema=None) as batch_op:
        batch_op.create_index("ix_attribution_credits_customers", CUSTOMERS, unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()
    day = DAY[dialect]
    op.execute(
        "INSERT INTO credit_dirty_days (day) SELECT d FROM ("
        f"SELECT {day.format('lead_created_at')} AS d FROM attribution_credits"
        f" UNION SELECT {day.format('first_payment_at')} FROM leads"
        f" UNION SELECT {day.format('paid_at')} FROM payments"
        f" UNION SELECT {day.format('registered_at')} FROM registrations) AS touched"
        " WHERE d IS NOT NULL"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TOUCHED:
            op.execute(f"DROP TRIGGER {table}_dirty_days ON {table}")
            op.execute(f"DROP FUNCTION {table}_dirty_days()")
        op.execute("DROP FUNCTION credit_dirty_day(date)")
    else:
        for table in TOUCHED:
            for event in EVENTS.get(table, ALL_EVENTS):
                op.execute(f"DROP TRIGGER {table}_dirty_days_{event.split()[0].lower()}")
    with op.batch_alter_table("attribution_credits", schema=None) as batch_op:
        batch_op.drop_index("ix_attribution_credits_customers")
    with op.batch_alter_table("registration_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_days_webinar_id"))
        batch_op.drop_index(batch_op.f("ix_registration_days_day"))
    op.drop_table("registration_days")
    with op.batch_alter_table("credit_dirty_days", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_dirty_days_day")
    op.drop_table("credit_dirty_days")
    with op.batch_alter_table("credit_days", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_days_model_day")
    op.drop_table("credit_days")
