"""The demo's joint business plans: one for the current quarter with every gold partner, its
goals set from the partner's previous quarter — modest (×0.5; no webinar goal where it hosted
none) for every other partner, ambitious (×1.6) for the rest — so that ``make run`` shows plans
on track and plans that fall behind (on the partner page, in the portal and on
``/goals/plans/behind``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from comarketing.demo.cast import Cast
from comarketing.goals.plans_models import PartnerPlan
from comarketing.goals.plans_periods import current_periods, local_today
from comarketing.goals.plans_progress import actuals, plan_zone
from comarketing.goals.plans_services import create_plan

GOLD = "gold"
# Goals as a multiple of the previous quarter, with floors (webinars, leads, customers,
# revenue): modest, then ambitious, partner by partner.
STYLES = (
    (Decimal("0.5"), (0, 5, 1, Decimal(50_000))),
    (Decimal("1.6"), (2, 10, 2, Decimal(100_000))),
)
THOUSAND = Decimal(1000)


def _times(count: int | Decimal, multiple: Decimal, least: int) -> int:
    return max(least, int((Decimal(count) * multiple).to_integral_value(ROUND_HALF_UP)))


def generate_plans(cast: Cast, now: datetime) -> list[PartnerPlan]:
    """A plan for the quarter that holds ``now`` (in the app's time zone) with each gold
    partner, agreed by its contact; flushed, the caller commits."""
    zone = plan_zone()
    quarter, _month = current_periods(local_today(now, zone))
    previous, _ = current_periods(quarter.starts_on - timedelta(days=1))
    gold = [partner for partner in cast.partners if partner.tier == GOLD]
    before = actuals([partner.id for partner in gold], *previous.bounds(zone), now)
    plans = []
    for index, partner in enumerate(gold):
        multiple, (webinars, leads, customers, least_revenue) = STYLES[index % len(STYLES)]
        last = before[partner.id]
        revenue = max(least_revenue, last.revenue * multiple)
        plans.append(
            create_plan(
                partner,
                period=quarter.key,
                goals={
                    "webinars": _times(last.webinars, multiple, webinars) or None,
                    "leads": _times(last.leads, multiple, leads),
                    "customers": _times(last.customers, multiple, customers),
                    "revenue": (revenue / THOUSAND).to_integral_value(ROUND_HALF_UP) * THOUSAND,
                },
                note=f"Цели на {quarter.key}: ×{multiple} к прошлому кварталу.",
                agreed_by=f"Руководитель «{partner.name}»",
                agreed_at=now,
            )
        )
    return plans
