"""Read queries over commissions and payments, scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from comarketing.commissions.models import Commission, Payment
from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.core.money import money
from comarketing.core.time import day_start
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.users.models import User


def commissions_query(
    user: User,
    *,
    partner_id: int | None = None,
    status: str | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
) -> AnySelect:
    """Commission lines (a partner: its own), filtered; dates inclusive, UTC."""
    stmt = scope_to_partner(select(Commission), Commission.partner_id, user)
    if partner_id is not None:
        stmt = stmt.where(Commission.partner_id == partner_id)
    if status:
        stmt = stmt.where(Commission.status == status)
    if created_from is not None:
        stmt = stmt.where(Commission.created_at >= day_start(created_from))
    if created_to is not None:
        stmt = stmt.where(Commission.created_at < day_start(created_to) + timedelta(days=1))
    return stmt


def totals_by_status(user: User, start: datetime, end: datetime) -> dict[str, Decimal]:
    """The sum of the commission lines ``user`` may see created in [``start``, ``end``) (UTC),
    per status (RUB); a status without lines is absent."""
    stmt = scope_to_partner(
        select(Commission.status, func.sum(Commission.amount)).where(
            Commission.created_at >= start, Commission.created_at < end
        ),
        Commission.partner_id,
        user,
    ).group_by(Commission.status)
    return {str(status): money(amount or 0) for status, amount in db.session.execute(stmt)}


@dataclass
class StatementLine:
    """A line of a statement: one payment's commission (with its payment and lead), or a
    product's monthly line (neither: ``commission.period``, ``basis`` and ``rate`` say it)."""

    commission: Commission
    payment: Payment | None
    lead: Lead | None


def statement_lines(partner_id: int, start: datetime, end: datetime) -> list[StatementLine]:
    """A partner's commission lines created in [start, end), with their payments and leads."""
    rows = db.session.execute(
        select(Commission, Payment, Lead)
        .outerjoin(Payment, Commission.payment_id == Payment.id)
        .outerjoin(Lead, Commission.lead_id == Lead.id)
        .where(
            Commission.partner_id == partner_id,
            Commission.created_at >= start,
            Commission.created_at < end,
        )
        .order_by(Commission.created_at, Commission.id)
    ).all()
    return [StatementLine(commission, payment, lead) for commission, payment, lead in rows]


def totals_by_partner(start: datetime, end: datetime) -> dict[int, dict[str, Decimal]]:
    """Commission sums (RUB) per partner and status in [start, end), one GROUP BY."""
    rows = db.session.execute(
        select(Commission.partner_id, Commission.status, func.sum(Commission.amount))
        .where(Commission.created_at >= start, Commission.created_at < end)
        .group_by(Commission.partner_id, Commission.status)
    )
    totals: dict[int, dict[str, Decimal]] = {}
    for partner_id, status, amount in rows:
        totals.setdefault(partner_id, {})[str(status)] = money(amount or 0)
    return totals
