"""A partner's own month in figures, for the portal's home: each figure one aggregate in SQL,
over the partner's rows only, for a [start, end) span of UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from comarketing.commissions.models import Commission
from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.links.models import Click, TrackedLink
from comarketing.webinars.models import Registration


@dataclass(frozen=True)
class MonthFigures:
    clicks: int  # human clicks on the partner's links
    registrations: int  # webinar registrations through the partner's links
    leads: int  # leads the partner owns, created in the span
    customers: int  # the partner's leads whose first payment falls in the span
    commissions: Decimal  # RUB, reversals included (negative lines)


def month_figures(partner_id: int, start: datetime, end: datetime) -> MonthFigures:
    clicks = db.session.scalar(
        select(func.count(Click.id))
        .join(TrackedLink, Click.link_id == TrackedLink.id)
        .where(
            TrackedLink.partner_id == partner_id,
            Click.is_bot.is_(False),
            Click.clicked_at >= start,
            Click.clicked_at < end,
        )
    )
    registrations = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.partner_id == partner_id,
            Registration.registered_at >= start,
            Registration.registered_at < end,
        )
    )
    leads, customers = db.session.execute(
        select(
            func.count(Lead.id).filter(Lead.created_at >= start, Lead.created_at < end),
            func.count(Lead.id).filter(Lead.first_payment_at >= start, Lead.first_payment_at < end),
        ).where(Lead.owner_partner_id == partner_id)
    ).one()
    commissions = db.session.scalar(
        select(func.sum(Commission.amount)).where(
            Commission.partner_id == partner_id,
            Commission.created_at >= start,
            Commission.created_at < end,
        )
    )
    return MonthFigures(
        clicks=clicks or 0,
        registrations=registrations or 0,
        leads=leads or 0,
        customers=customers or 0,
        commissions=money(Decimal(str(commissions or 0))),
    )


def change(now: int | Decimal, before: int | Decimal) -> Decimal | None:
    """Relative change from ``before`` to ``now`` (0.25 = +25 %); None when ``before`` is 0."""
    if not before:
        return None
    return (Decimal(now) - Decimal(before)) / abs(Decimal(before))
