"""Payments of clients and the commissions they earn the owning partner. Services flush;
callers commit. Amounts in RUB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select, update

from comarketing.commissions.models import (
    DEFAULT_PRODUCT,
    Commission,
    CommissionStatus,
    Payment,
    PaymentSource,
    PlanBasis,
)
from comarketing.commissions.plans import PRODUCT, plan_for, within_months
from comarketing.commissions.signals import commission_created
from comarketing.core.errors import Problems
from comarketing.core.money import money
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Lead, LeadFlag
from comarketing.leads.services.flags import clear_flags
from comarketing.leads.services.status import mark_paying_customer
from comarketing.partners.models import Partner

FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass
class PaymentResult:
    payment: Payment
    created: bool  # False: a repeat of an ``external_id`` already recorded
    commission: Commission | None


def record_payment(
    *,
    lead_id: int,
    amount: Decimal,
    paid_at: datetime,
    external_id: str | None = None,
    source: PaymentSource = PaymentSource.API,
    note: str = "",
    product: str = DEFAULT_PRODUCT,
) -> PaymentResult:
    """Record a client's payment (negative: a refund) of ``product`` and the owner's commission
    on it: at the product plan's flat rate, else at the owner's rate; a ``monthly_total``
    product earns its commission when the month closes (``closing.close_month``). A repeated
    ``external_id`` changes nothing and returns the first payment."""
    if external_id:
        known = db.session.scalar(select(Payment).where(Payment.external_id == external_id))
        if known is not None:
            commission = db.session.scalar(
                select(Commission).where(Commission.payment_id == known.id)
            )
            return PaymentResult(known, False, commission)
    problems = Problems()
    lead = db.session.get(Lead, lead_id)
    if lead is None:
        problems.add("lead_id", _("No such lead."))
    if amount == 0:
        problems.add("amount", _("The amount must not be zero."))
    if paid_at > utcnow() + FUTURE_TOLERANCE:
        problems.add("paid_at", _("Must not be in the future."))
    if not PRODUCT.match(product):
        problems.add("product", _("Use 2–40 of a-z, 0-9 and _."))
    problems.raise_if_any()
    assert lead is not None
    payment = Payment(
        lead_id=lead.id,
        amount=money(amount),
        paid_at=paid_at,
        external_id=external_id or None,
        source=source,
        note=note.strip(),
        product=product,
    )
    db.session.add(payment)
    db.session.flush()
    if payment.amount > 0:
        _mark_customer(lead, payment)
    commission = _commission_for(lead, payment)
    db.session.flush()
    if commission is not None:
        commission_created.send(None, commission_id=commission.id)
    return PaymentResult(payment, True, commission)


def _mark_customer(lead: Lead, payment: Payment) -> None:
    if lead.first_payment_at is None or payment.paid_at < lead.first_payment_at:
        lead.first_payment_at = payment.paid_at
    mark_paying_customer(lead, payment.paid_at, reference=f"payment:{payment.id}")


def _commission_for(lead: Lead, payment: Payment) -> Commission | None:
    """The owner's line: ``amount × rate`` pending; for a refund, a negative reversed line
    pointing at the commission it takes back. None without an owner, for a ``monthly_total``
    product (closed monthly) and past the plan's ``months`` of the client."""
    if lead.owner_partner_id is None:
        return None
    partner = db.session.get(Partner, lead.owner_partner_id)
    assert partner is not None
    plan = plan_for(payment.product)
    if plan is not None and (
        plan.basis is PlanBasis.MONTHLY_TOTAL
        or not within_months(lead.first_payment_at, payment.paid_at, plan.months)
    ):
        return None
    rate = plan.rate if plan is not None and plan.rate is not None else partner.commission_rate
    reverses = None
    if payment.amount < 0:
        reverses = db.session.scalar(
            select(Commission.id)
            .where(
                Commission.lead_id == lead.id,
                Commission.product == payment.product,
                Commission.amount > 0,
            )
            .order_by(Commission.created_at.desc(), Commission.id.desc())
            .limit(1)
        )
    commission = Commission(
        partner_id=partner.id,
        lead_id=lead.id,
        payment_id=payment.id,
        amount=money(payment.amount * rate),
        rate=rate,
        product=payment.product,
        status=CommissionStatus.REVERSED if payment.amount < 0 else CommissionStatus.PENDING,
        created_at=payment.paid_at,
        reverses_id=reverses,
    )
    db.session.add(commission)
    return commission


def approve_due(now: datetime | None = None, *, lead_id: int | None = None) -> int:
    """Pending commissions whose holding period (COMMISSION_HOLD_DAYS) has passed become
    approved, except those of a lead with a standing flag (held until a manager clears it);
    ``lead_id``: of that lead only. Returns how many."""
    moment = now or utcnow()
    hold = timedelta(days=int(current_app.config["COMMISSION_HOLD_DAYS"]))
    flagged = exists().where(LeadFlag.lead_id == Commission.lead_id, LeadFlag.cleared_at.is_(None))
    of_lead = [Commission.lead_id == lead_id] if lead_id is not None else []
    result = db.session.execute(
        update(Commission)
        .where(
            Commission.status == CommissionStatus.PENDING,
            Commission.created_at <= moment - hold,
            ~flagged,
            *of_lead,
        )
        .values(status=CommissionStatus.APPROVED, approved_at=moment)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def mark_paid(partner_id: int, start: datetime, end: datetime, now: datetime | None = None) -> int:
    """The partner was paid its approved commissions created in [start, end): they become
    paid. Returns how many lines."""
    moment = now or utcnow()
    result = db.session.execute(
        update(Commission)
        .where(
            Commission.partner_id == partner_id,
            Commission.status == CommissionStatus.APPROVED,
            Commission.created_at >= start,
            Commission.created_at < end,
        )
        .values(status=CommissionStatus.PAID, paid_at=moment)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def release_flagged(lead: Lead, *, comment: str, cleared_by_id: int) -> int:
    """A manager clears a flagged lead (with a reason): its held commissions whose holding
    period has passed are approved at once, the others in their time. Returns the flags
    cleared."""
    cleared = clear_flags(lead, comment=comment, cleared_by_id=cleared_by_id)
    approve_due(lead_id=lead.id)
    return cleared
