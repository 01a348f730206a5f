"""Joint business plans: a partner's goals for a quarter or a month, agreed with the partner.

Only the goals are stored; the actuals are read from the live data when a plan is shown
(``plans_progress``), so there is no second source of truth to keep in step.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comarketing.core.db import Money, UTCDateTime
from comarketing.core.time import utcnow
from comarketing.extensions import Model

if TYPE_CHECKING:
    from comarketing.partners.models import Partner

# The goals of a plan, in the order they are shown; revenue is money (RUB), the rest counts.
GOALS = ("webinars", "leads", "customers", "revenue")


class PartnerPlan(Model):
    """A partner's goals for one period: ``period`` is ``YYYY-Qn`` or ``YYYY-MM``, from
    ``starts_on`` to the day before ``ends_before`` (local days of the app's time zone). A goal
    left empty (None) is no goal. ``agreed_by`` names who agreed on the partner's side, at
    ``agreed_at`` (UTC)."""

    __tablename__ = "partner_plans"
    __table_args__ = (
        UniqueConstraint("partner_id", "period"),
        CheckConstraint("ends_before > starts_on", name="period_in_order"),
        CheckConstraint(
            "(webinars IS NULL OR webinars >= 0) AND (leads IS NULL OR leads >= 0)"
            " AND (customers IS NULL OR customers >= 0) AND (revenue IS NULL OR revenue >= 0)",
            name="goals_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_before: Mapped[date] = mapped_column(Date)
    webinars: Mapped[int | None]
    leads: Mapped[int | None]
    customers: Mapped[int | None]
    revenue: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    agreed_by: Mapped[str] = mapped_column(String(200), default="")
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partner: Mapped[Partner] = relationship()
