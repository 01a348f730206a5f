"""Each partner's standing over the 12 months up to a moment: the paying clients it owns
(leads whose payments in the window add up to more than zero) and their payments (RUB,
refunds included). One query for every partner."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

from comarketing.commissions.models import Payment
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.tiers.rules import Standing

WINDOW = timedelta(days=365)


def standings(as_of: datetime, partner_ids: list[int] | None = None) -> dict[int, Standing]:
    """Partner id → standing over (as_of − 365 days, as_of]; partners without payments are
    absent (their standing is zero)."""
    per_lead = (
        select(
            Lead.owner_partner_id.label("partner_id"),
            Payment.lead_id.label("lead_id"),
            func.sum(Payment.amount).label("paid"),
        )
        .join(Lead, Lead.id == Payment.lead_id)
        .where(
            Lead.owner_partner_id.is_not(None),
            Payment.paid_at > as_of - WINDOW,
            Payment.paid_at <= as_of,
        )
        .group_by(Lead.owner_partner_id, Payment.lead_id)
    )
    if partner_ids is not None:
        per_lead = per_lead.where(Lead.owner_partner_id.in_(partner_ids))
    leads = per_lead.subquery()
    rows = db.session.execute(
        select(
            leads.c.partner_id,
            func.sum(case((leads.c.paid > 0, 1), else_=0)),
            func.sum(leads.c.paid),
        ).group_by(leads.c.partner_id)
    )
    return {
        partner_id: Standing(int(customers or 0), Decimal(paid or 0).quantize(Decimal("0.01")))
        for partner_id, customers, paid in rows
    }


ZERO = Standing(0, Decimal("0.00"))
