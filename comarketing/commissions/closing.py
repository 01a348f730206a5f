"""Closing a month of ``monthly_total`` products (contract §11): each partner's total of the
product's payments in the month picks a bracket, and one commission line per partner and
product is written at that rate on the whole total. Services flush; callers commit.

Every payment is closed exactly once (``closed_payments``): closing a month again finds
nothing new; a payment (a refund too) that arrives late for a month already closed goes into
the next close as an adjustment of that month — the month recomputed with it, less what its
lines already paid — so nothing is silently lost. Months are calendar months in
``BABEL_DEFAULT_TIMEZONE``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from comarketing.commissions.brackets import month_commission
from comarketing.commissions.models import (
    ClosedPayment,
    Commission,
    CommissionPlan,
    CommissionStatus,
    Payment,
    PlanBasis,
)
from comarketing.commissions.plans import plan_brackets, within_months
from comarketing.commissions.signals import commission_created
from comarketing.core.errors import ValidationFailed
from comarketing.core.money import money
from comarketing.core.time import local_month, month_bounds, utcnow
from comarketing.extensions import db
from comarketing.leads.models import Lead

ZERO = Decimal("0.00")


@dataclass
class CloseReport:
    lines: list[Commission] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return money(sum((line.amount for line in self.lines), ZERO))

    def __str__(self) -> str:
        return f"{len(self.lines)} line(s), {self.total} RUB"


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _open_payments(plan: CommissionPlan, end: datetime) -> list[tuple[Payment, int, Lead]]:
    """Payments of the plan's product paid before ``end`` that no close has counted, with the
    partner that owns their lead."""
    counted = exists().where(ClosedPayment.payment_id == Payment.id)
    rows = db.session.execute(
        select(Payment, Lead)
        .join(Lead, Lead.id == Payment.lead_id)
        .where(
            Payment.product == plan.product,
            Payment.paid_at < end,
            Lead.owner_partner_id.is_not(None),
            ~counted,
        )
        .order_by(Payment.paid_at, Payment.id)
    ).all()
    return [
        (payment, lead.owner_partner_id, lead)
        for payment, lead in rows
        if lead.owner_partner_id is not None
        and within_months(lead.first_payment_at, payment.paid_at, plan.months)
    ]


def _closed_before(partner_id: int, product: str, period: str) -> tuple[Decimal, Decimal]:
    """The month's total counted by earlier closes, and what their lines paid (RUB)."""
    lines = select(Commission.id).where(
        Commission.partner_id == partner_id,
        Commission.product == product,
        Commission.period == period,
        Commission.closed_in.is_not(None),
    )
    counted = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0))
        .join(ClosedPayment, ClosedPayment.payment_id == Payment.id)
        .where(ClosedPayment.commission_id.in_(lines))
    )
    paid = db.session.scalar(
        select(func.coalesce(func.sum(Commission.amount), 0)).where(Commission.id.in_(lines))
    )
    return money(Decimal(counted or 0)), money(Decimal(paid or 0))


def close_month(year: int, month: int, now: datetime | None = None) -> CloseReport:
    """Close ``year``-``month`` for every ``monthly_total`` product; 422 while it is not over."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    start, end = month_bounds(year, month, zone)
    if end > (now or utcnow()):
        raise ValidationFailed(
            _("A month can be closed once it is over."),
            fields={"month": [_("%(month)s is not over yet.", month=month_key(year, month))]},
        )
    closed_in = month_key(year, month)
    report = CloseReport()
    plans = db.session.scalars(
        select(CommissionPlan).where(CommissionPlan.basis == PlanBasis.MONTHLY_TOTAL)
    ).all()
    for plan in plans:
        brackets = plan_brackets(plan)
        groups: dict[tuple[int, str], list[Payment]] = defaultdict(list)
        for payment, partner_id, _lead in _open_payments(plan, end):
            period = month_key(*local_month(payment.paid_at, zone))
            groups[(partner_id, period)].append(payment)
        for (partner_id, period), payments in sorted(groups.items()):
            counted, paid = _closed_before(partner_id, plan.product, period)
            total = money(counted + sum((p.amount for p in payments), ZERO))
            bracket, earned = month_commission(brackets, total)
            amount = money(earned - paid)
            line = Commission(
                partner_id=partner_id,
                lead_id=None,
                payment_id=None,
                amount=amount,
                rate=bracket.rate,
                product=plan.product,
                period=period,
                closed_in=closed_in,
                basis=total,
                status=CommissionStatus.REVERSED if amount < 0 else CommissionStatus.PENDING,
                created_at=end - timedelta(microseconds=1),
            )
            db.session.add(line)
            db.session.flush()
            db.session.add_all(
                ClosedPayment(payment_id=payment.id, commission_id=line.id) for payment in payments
            )
            report.lines.append(line)
    db.session.flush()
    for line in report.lines:
        commission_created.send(None, commission_id=line.id)
    return report
