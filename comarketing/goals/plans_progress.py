"""A plan's actuals, read from the live data of its period, and how far along it is.

The actuals are the figures the partner portal shows for a month, over the plan's period
(``[starts_on, ends_before)`` in local days of ``BABEL_DEFAULT_TIMEZONE``):

- ``webinars``: webinars of the period that the partner co-hosts and that have started by now
  (held, or under way: one still to come is planned, not done), cancelled ones not counted;
- ``leads``: leads created in the period that the partner owns;
- ``customers``: the partner's owned leads whose first payment falls in the period;
- ``revenue``: payments received in the period from leads the partner owns, refunds (negative
  payments) included, in RUB.

``percent`` is actual / goal × 100, rounded to one place when shown (None for no goal, or a goal
of 0: nothing to measure against). A plan **falls behind** when any goal's share reached is
below the share of the period gone by (both unrounded): half-way through the quarter, every goal
should be at least half reached. Before its period a plan is never behind; after it, any goal
not reached keeps it behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import Numeric, func, or_, select, type_coerce

from comarketing.commissions.models import Payment
from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.goals.plans_models import GOALS, PartnerPlan
from comarketing.goals.plans_periods import PlanPeriod
from comarketing.leads.models import Lead
from comarketing.webinars.models import Webinar, WebinarHost, WebinarStatus

TENTH = Decimal("0.1")
# Sums of money come back as the database summed them; rounded to kopecks once, here.
UNROUNDED = Numeric(asdecimal=True)
Number = int | Decimal


def one_place(share: Decimal) -> Decimal:
    """A share (0.667) as a percent with one decimal place (66.7), half up."""
    return (share * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class GoalProgress:
    name: str  # one of GOALS
    goal: Number | None
    actual: Number

    @property
    def share(self) -> Decimal | None:
        """actual / goal, unrounded; None without a goal (or with a goal of 0)."""
        if not self.goal:
            return None
        return Decimal(self.actual) / Decimal(self.goal)

    @property
    def percent(self) -> Decimal | None:
        share = self.share
        return None if share is None else one_place(share)

    def behind(self, elapsed: Decimal) -> bool:
        share = self.share
        return share is not None and share < elapsed


@dataclass(frozen=True)
class PlanProgress:
    plan: PartnerPlan
    goals: tuple[GoalProgress, ...]  # in the order of GOALS
    elapsed: Decimal  # the share of the period gone by, 0..1

    @property
    def ends_on(self) -> date:
        """The period's last day."""
        return self.plan.ends_before - timedelta(days=1)

    @property
    def elapsed_percent(self) -> Decimal:
        return one_place(self.elapsed)

    @property
    def behind(self) -> bool:
        return any(goal.behind(self.elapsed) for goal in self.goals)

    @property
    def behind_goals(self) -> list[str]:
        return [goal.name for goal in self.goals if goal.behind(self.elapsed)]

    def goal(self, name: str) -> GoalProgress:
        return self.goals[GOALS.index(name)]


@dataclass(frozen=True)
class Actuals:
    webinars: int = 0
    leads: int = 0
    customers: int = 0
    revenue: Decimal = Decimal("0.00")


def plan_zone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def period_of(plan: PartnerPlan) -> PlanPeriod:
    return PlanPeriod(plan.period, plan.starts_on, plan.ends_before)


def actuals(
    partner_ids: Sequence[int], start: datetime, end: datetime, now: datetime
) -> dict[int, Actuals]:
    """Each partner's actuals over ``[start, end)``, webinars only those started by ``now``:
    three aggregates in SQL, grouped by partner, whatever the number of partners."""
    ids = sorted(set(partner_ids))
    webinars = dict(
        db.session.execute(
            select(WebinarHost.partner_id, func.count(Webinar.id))
            .join(Webinar, Webinar.id == WebinarHost.webinar_id)
            .where(
                WebinarHost.partner_id.in_(ids),
                Webinar.status != WebinarStatus.CANCELLED,
                Webinar.starts_at >= start,
                Webinar.starts_at < min(end, now),
            )
            .group_by(WebinarHost.partner_id)
        ).all()
    )
    created = (Lead.created_at >= start) & (Lead.created_at < end)
    paid_first = (Lead.first_payment_at >= start) & (Lead.first_payment_at < end)
    people = {
        row[0]: (row[1], row[2])
        for row in db.session.execute(
            select(
                Lead.owner_partner_id,
                func.count(Lead.id).filter(created),
                func.count(Lead.id).filter(paid_first),
            )
            .where(Lead.owner_partner_id.in_(ids), or_(created, paid_first))
            .group_by(Lead.owner_partner_id)
        )
    }
    revenue = dict(
        db.session.execute(
            select(Lead.owner_partner_id, type_coerce(func.sum(Payment.amount), UNROUNDED))
            .join(Lead, Lead.id == Payment.lead_id)
            .where(
                Lead.owner_partner_id.in_(ids),
                Payment.paid_at >= start,
                Payment.paid_at < end,
            )
            .group_by(Lead.owner_partner_id)
        ).all()
    )
    return {
        partner_id: Actuals(
            webinars=webinars.get(partner_id, 0),
            leads=people.get(partner_id, (0, 0))[0],
            customers=people.get(partner_id, (0, 0))[1],
            revenue=money(revenue.get(partner_id) or 0),
        )
        for partner_id in ids
    }


def plans_progress(
    plans: Sequence[PartnerPlan], now: datetime, zone: str | None = None
) -> list[PlanProgress]:
    """Each plan with its goals, actuals and the share of its period gone by at ``now``. The
    actuals are read once per distinct period (every plan of a quarter shares one read)."""
    zone = zone or plan_zone()
    by_period: dict[PlanPeriod, list[PartnerPlan]] = defaultdict(list)
    for plan in plans:
        by_period[period_of(plan)].append(plan)
    found: dict[int, Actuals] = {}
    for period, members in by_period.items():
        start, end = period.bounds(zone)
        read = actuals([plan.partner_id for plan in members], start, end, now)
        found.update({plan.id: read[plan.partner_id] for plan in members})
    return [
        PlanProgress(
            plan=plan,
            goals=tuple(
                GoalProgress(name, getattr(plan, name), getattr(found[plan.id], name))
                for name in GOALS
            ),
            elapsed=period_of(plan).elapsed_share(now, zone),
        )
        for plan in plans
    ]


def plan_progress(plan: PartnerPlan, now: datetime, zone: str | None = None) -> PlanProgress:
    (progress,) = plans_progress([plan], now, zone)
    return progress
