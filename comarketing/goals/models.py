"""A KPI target: a metric of the program or of one segment, to be multiplied in a horizon."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model

MAX_HORIZON_MONTHS = 120


class KpiMetric(StrEnum):
    """What a target counts per calendar month (contract §9, ``goals.actuals``)."""

    LEADS = "leads"  # leads created, owned by a partner of the segment
    CUSTOMERS = "customers"  # first payments of those leads
    REVENUE = "revenue"  # RUB paid for those leads, refunds subtracted
    ACTIVE_PARTNERS = "active_partners"  # partners with an owned lead in the last 90 days


class KpiTarget(Model):
    """``multiple`` times the baseline in ``horizon_months`` from ``starts_on`` (the first
    day of a month); ``segment`` None is the whole program. The baseline is the metric's
    monthly average over the whole months between ``baseline_from`` and ``baseline_to``;
    progress is computed, never stored (``goals.progress``)."""

    __tablename__ = "kpi_targets"
    __table_args__ = (
        CheckConstraint("multiple > 0", name="multiple_positive"),
        CheckConstraint(
            f"horizon_months >= 1 AND horizon_months <= {MAX_HORIZON_MONTHS}",
            name="horizon_in_range",
        ),
        CheckConstraint("baseline_to >= baseline_from", name="baseline_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[KpiMetric] = mapped_column(str_enum(KpiMetric, "metric"))
    segment: Mapped[str | None] = mapped_column(String(40))
    baseline_from: Mapped[date] = mapped_column(Date)
    baseline_to: Mapped[date] = mapped_column(Date)
    multiple: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    horizon_months: Mapped[int]
    starts_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<KpiTarget {self.id} {self.metric} ×{self.multiple}>"
