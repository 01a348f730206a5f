"""Load the demo data set: the cast through the ORM, the volume by bulk INSERTs.

Rows of the bulk part carry ids assigned by the generator, so related rows can point at each
other without a round trip; PostgreSQL's sequences are moved past them at the end.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, select, text

from comarketing.attribution.credits import refresh_credits
from comarketing.core.bulk_insert import insert_rows
from comarketing.core.time import utcnow
from comarketing.demo.cast import build_cast
from comarketing.demo.goals import add_program_targets
from comarketing.demo.payments import generate_payments
from comarketing.demo.people import people_in_chunks
from comarketing.demo.plans import generate_plans
from comarketing.demo.program import add_program_terms
from comarketing.demo.traffic import generate_traffic
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.reports.credit_days import refresh as refresh_credit_days
from comarketing.reports.rollup import roll_up_clicks
from comarketing.users.models import User

SEED = 20_261_128
CHUNK = 5_000  # rows per INSERT
PEOPLE_CHUNK = 20_000  # converters whose people are generated, written and let go at a time
# Parents before children: the foreign keys are checked as rows go in.
BULK_ORDER = (
    "leads",
    "visitors",
    "registrations",
    "conversions",
    "touchpoints",
    "lead_ownerships",
    "ownership_conflicts",
    "payments",
    "commissions",
)


@dataclass
class DemoSummary:
    partners: int
    links: int
    human_clicks: int
    bot_clicks: int
    leads: int
    payments: int


def database_is_empty() -> bool:
    """No users and no partners: nothing a person would lose."""
    return not (
        db.session.scalar(select(func.count(User.id)))
        or db.session.scalar(select(func.count(Partner.id)))
    )


def wipe_database() -> None:
    """Delete every row of every table (for ``flask demo --force``)."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.session.get_bind().dialect.name == "postgresql":
        names = ", ".join(table.name for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())


def bulk_insert(table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        insert_rows(table, rows[start : start + CHUNK])


def load_demo(
    scale: int = 1,
    *,
    now: datetime | None = None,
    progress: Callable[[str, int], None] = lambda step, amount: None,
) -> DemoSummary:
    """Generate the demo (about 10,000 clicks per unit of ``scale``) and flush it; the
    caller commits. ``progress(step, amount)`` reports links done and rows written."""
    now = now or utcnow()
    rng = random.Random(SEED + scale)
    cast = build_cast(rng, now.date())
    progress("cast", 1)

    clicks_table = db.metadata.tables["clicks"]

    def write_clicks(rows: list[dict[str, Any]]) -> None:
        bulk_insert(clicks_table, rows)
        progress("rows", len(rows))

    traffic = generate_traffic(
        rng, cast, scale, now, write_clicks, lambda amount: progress("links", amount)
    )
    lead_ids: list[int] = []
    payments = 0
    for people in people_in_chunks(rng, cast, traffic, now, PEOPLE_CHUNK):
        generate_payments(people)
        for name in BULK_ORDER:
            rows = people.rows.get(name, [])
            bulk_insert(db.metadata.tables[name], rows)
            progress("rows", len(rows))
        lead_ids += (row["id"] for row in people.rows["leads"])
        payments += len(people.rows["payments"])
    reset_sequences()
    add_program_targets(now)
    generate_plans(cast, now)
    add_program_terms(now)
    progress("credits", 0)
    refresh_credits(lead_ids)
    roll_up_clicks(now)
    refresh_credit_days()  # every day the load wrote: the reports' rollup is ready
    analyze_tables()
    return DemoSummary(
        partners=len(cast.partners),
        links=len(cast.links),
        human_clicks=traffic.human_clicks,
        bot_clicks=traffic.bot_clicks,
        leads=len(lead_ids),
        payments=payments,
    )


def reset_sequences() -> None:
    """After explicit ids, move PostgreSQL's id sequences past the highest id."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        id_column = table.columns.get("id")
        if id_column is None or not id_column.autoincrement or id_column.type.python_type is str:
            continue
        next_id = select(func.coalesce(func.max(id_column), 0) + 1).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table.name, "id")
        db.session.execute(select(func.setval(sequence, next_id, False)))


def analyze_tables() -> None:
    """Give PostgreSQL's planner statistics for the rows just loaded, as autovacuum would
    within a minute or so; until then it plans for nearly empty tables. SQLite keeps none
    (its queries here are written not to need them)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
