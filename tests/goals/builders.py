"""Leads and payments in bulk, straight into their tables: the progress of a target reads
nothing else, and hundreds of leads through the API would be slow."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert

from comarketing.commissions.models import Payment
from comarketing.extensions import db
from comarketing.leads.models import Lead

_numbers = itertools.count(1)


def add_leads(partner_id: int | None, at: datetime, count: int) -> list[int]:
    """``count`` leads owned by ``partner_id`` (None: nobody's), created a second apart from
    ``at`` (UTC); returns their ids."""
    if count == 0:
        return []
    rows = []
    for index in range(count):
        number = next(_numbers)
        created = at + timedelta(seconds=index)
        rows.append(
            {
                "email": f"goal-lead-{number}@client.example",
                "owner_partner_id": partner_id,
                "owned_since": created if partner_id else None,
                "created_at": created,
                "updated_at": created,
            }
        )
    db.session.execute(insert(Lead), rows)
    emails = [row["email"] for row in rows]
    return list(db.session.scalars(db.select(Lead.id).where(Lead.email.in_(emails))))


def add_monthly_leads(partner_id: int | None, counts: dict[tuple[int, int], int]) -> None:
    """For each (year, month), that many leads on its 10th, noon UTC."""
    for (year, month), count in counts.items():
        add_leads(partner_id, datetime(year, month, 10, 12, tzinfo=UTC), count)


def pay(lead_id: int, amount: str, at: datetime, *, first: bool = True) -> None:
    """A payment of ``amount`` RUB for the lead at ``at``; ``first`` marks the lead's first
    payment (``Lead.first_payment_at``) as the services do."""
    db.session.execute(
        insert(Payment),
        [{"lead_id": lead_id, "amount": Decimal(amount), "paid_at": at}],
    )
    if first:
        db.session.get_one(Lead, lead_id).first_payment_at = at
    db.session.flush()
