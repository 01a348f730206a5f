"""A target's progress (contract §9): its baseline, each complete month's plan, actual and
gap, the forecast at the horizon and the status — the metric read by ``goals.actuals``, the
arithmetic done by ``goals.trajectory``.

Months are calendar months of ``BABEL_DEFAULT_TIMEZONE``. A month is complete once it has
ended; the months listed run from the target's first to the last complete one, at most to
the horizon (after it the target is over: its last month keeps deciding the status).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, localcontext

from flask import current_app

from comarketing.core.time import local_month, utcnow
from comarketing.goals import trajectory
from comarketing.goals.actuals import monthly_actuals
from comarketing.goals.models import KpiTarget
from comarketing.goals.months import add_months, months_from, whole_months
from comarketing.goals.trajectory import Status, round2


@dataclass(frozen=True)
class MonthProgress:
    month: date  # its first day
    index: int  # t: 1 for the target's first month
    planned: Decimal  # rounded to 2 places
    actual: Decimal  # exact (a count, or RUB with kopecks)

    @property
    def gap(self) -> Decimal:
        """Actual minus the plan as shown: exactly the difference of the shown figures."""
        return self.actual - self.planned


@dataclass(frozen=True)
class Progress:
    target: KpiTarget
    baseline: Decimal  # the monthly average, unrounded
    months: list[MonthProgress]  # complete months, first to last (at most the horizon)
    forecast: Decimal | None  # unrounded; None before a month is complete
    status: Status
    month_now: int  # t of the current month: 0 before the start, at most the horizon

    @property
    def last(self) -> MonthProgress | None:
        return self.months[-1] if self.months else None

    @property
    def reached(self) -> Decimal | None:
        """The last complete month as a multiple of the baseline (×1.30), unrounded."""
        return trajectory.reached(self.baseline, self.last.actual if self.last else None)

    def planned_curve(self) -> list[Decimal]:
        """The plan of months 0 (the baseline) to the horizon, rounded."""
        target = self.target
        return [
            round2(trajectory.planned(self.baseline, target.multiple, target.horizon_months, t))
            for t in range(target.horizon_months + 1)
        ]

    def forecast_curve(self) -> list[Decimal | None]:
        """Months 0 to the horizon: None up to the last complete month's predecessors, then
        that month's actual growing at the forecast's rate to the forecast (rounded)."""
        horizon = self.target.horizon_months
        curve: list[Decimal | None] = [None] * (horizon + 1)
        last = self.last
        if last is None or self.forecast is None:
            return curve
        steps = horizon - last.index
        with localcontext() as context:
            context.prec = trajectory.PRECISION
            for step in range(steps + 1):
                if last.actual == 0 or steps == 0:
                    value = last.actual if step == 0 else self.forecast
                else:
                    growth = (self.forecast / last.actual) ** (Decimal(step) / Decimal(steps))
                    value = last.actual * growth
                curve[last.index + step] = round2(value)
        return curve


def baseline_of(actuals: dict[date, Decimal], months: list[date]) -> Decimal:
    """The monthly average over ``months`` (0 without any), unrounded."""
    if not months:
        return Decimal(0)
    with localcontext() as context:
        context.prec = trajectory.PRECISION
        return sum((actuals[month] for month in months), Decimal(0)) / len(months)


def target_progress(target: KpiTarget, now: datetime | None = None) -> Progress:
    """``target``'s progress as of ``now`` (UTC; the current time by default): two queries'
    worth of work at most — one for the baseline and the complete months together."""
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    this_month = date(*local_month(now or utcnow(), zone), 1)
    horizon = target.horizon_months
    elapsed = months_from(target.starts_on, this_month)  # complete months since the start
    complete = [add_months(target.starts_on, t) for t in range(max(0, min(elapsed, horizon)))]
    baseline_months = whole_months(target.baseline_from, target.baseline_to)
    actuals = monthly_actuals(
        target.metric, target.segment, sorted({*baseline_months, *complete}), zone
    )
    baseline = baseline_of(actuals, baseline_months)
    months = [
        MonthProgress(
            month=month,
            index=t,
            planned=round2(trajectory.planned(baseline, target.multiple, horizon, t)),
            actual=actuals[month],
        )
        for t, month in enumerate(complete, start=1)
    ]
    last = months[-1] if months else None
    return Progress(
        target=target,
        baseline=baseline,
        months=months,
        forecast=trajectory.forecast(baseline, [m.actual for m in months], horizon),
        status=trajectory.status(last.planned if last else None, last.actual if last else None),
        month_now=max(0, min(elapsed + 1, horizon)),
    )
