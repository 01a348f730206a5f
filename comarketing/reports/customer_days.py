"""The median days to customer of the ROI report, from a rollup (``customer_days``).

A median is no sum, so it could not be read from ``credit_days``: it read every customer's
credits, and grew with them. Here it is the **credit-weighted** median of whole days from a
lead's creation to customer: each customer lead weighs, in a row, the credit it gives that
row under the report's model — in first- and last-touch models 1 in the one row that credits
it, so the plain median of those leads; in the totals its whole credit, 1 (under a partner
or segment filter, what it gives the rows shown). Weights add up over touches and days, so
``customer_days`` keeps, per UTC day (and month) of creation, model, touch and whole number
of days, the credits summed, and a report reads days × touches × day counts, whatever the
number of leads. The rollup is rebuilt with ``credit_days``, for the
days its triggers mark dirty (a customer sits on its lead's creation day, which every write to
its credits marks).

``histograms`` reads the rollup, ``histograms_from_rows`` the credits themselves (the
reference the rollup is tested against); ``weighted_median`` is the pure rule both share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, cast, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from comarketing.attribution.models import AttributionCredit, AttributionModel, counted_under
from comarketing.attribution.rules import CREDIT_SCALE
from comarketing.extensions import db
from comarketing.leads.models import LeadStatus
from comarketing.reports.dimensions import Source
from comarketing.reports.metrics import Scope, _grouped
from comarketing.reports.models import CustomerDay
from comarketing.reports.periods import DAY, TOUCH, day_of, days_held, rebuild_months

SECONDS_PER_DAY = 86400
UNITS_PER_CREDIT = 10**CREDIT_SCALE  # a median's weights: credits in units of their last place
SHOWN_PLACES = Decimal("0.1")
HALF = Decimal("0.5")

Histogram = dict[int, Decimal]  # whole days to customer → credits of leads that took them


def weighted_median(histogram: Mapping[int, Decimal]) -> Decimal | None:
    """The median of whole days weighted by credit: the fewest days by which at least half
    the weight became customers; when exactly half had by then, the mean of those days and
    the next (as a plain median of an even count). None without weight. In days, 1 place."""
    ordered = sorted((days, weight) for days, weight in histogram.items() if weight > 0)
    total = sum((weight for _, weight in ordered), Decimal(0))
    if not total:
        return None
    reached = Decimal(0)
    for index, (days, weight) in enumerate(ordered):
        reached += weight
        if 2 * reached < total:
            continue
        if 2 * reached == total and index + 1 < len(ordered):
            return (Decimal(days + ordered[index + 1][0]) * HALF).quantize(SHOWN_PLACES)
        return Decimal(days).quantize(SHOWN_PLACES, rounding=ROUND_HALF_UP)
    raise AssertionError("the weights reach their total")  # pragma: no cover


def medians(rows: Iterable[Sequence[Any]]) -> tuple[dict[Any, Decimal | None], Decimal | None]:
    """Per key, and over all keys (the totals'), the weighted median of ``rows`` of (key,
    whole days, weight: credits in whole units of their last place, so that the rollup and the
    rows agree to the last unit)."""
    per_key: dict[Any, Histogram] = defaultdict(dict)
    whole: Histogram = defaultdict(Decimal)
    for key, days, units in rows:
        weight = Decimal(int(units))
        histogram = per_key[key]
        histogram[int(days)] = histogram.get(int(days), Decimal(0)) + weight
        whole[int(days)] += weight
    found = {key: weighted_median(histogram) for key, histogram in per_key.items()}
    return {k: v for k, v in found.items() if v is not None}, weighted_median(whole)


def histograms(scope: Scope) -> list[Any]:
    """(key, whole days, credit) of the scope's customers, from the rollup."""
    cd = CustomerDay
    on = scope.on(Source.CUSTOMER_DAYS, cd.day, is_date=True)
    models = (scope.model, AttributionModel.ALL.value)
    stmt = (
        _grouped(scope, on, cd.days, func.sum(cd.weight))
        .where(scope.period.rollup_rows(cd.grain, cd.day, cd.model.in_(models)))
        .group_by(cd.days)
    )
    return list(db.session.execute(stmt))


def histograms_from_rows(scope: Scope) -> list[Any]:
    """(key, whole days, credit) of the scope's customers, from their credits (the
    reference ``histograms`` is tested against)."""
    ac = AttributionCredit
    on = scope.on(Source.CREDITS, ac.lead_created_at)
    days = _whole_days(ac.lead_customer_seconds)
    stmt = (
        _grouped(scope, on, days, func.sum(_units(ac.credit)))
        .where(counted_under(scope.model), *on.within(scope.period), *_customers())
        .group_by(days)
    )
    return list(db.session.execute(stmt))


def days_to_customer(scope: Scope, *, from_rows: bool = False) -> tuple[dict[Any, Any], Any]:
    """The weighted medians per key and over the whole scope, in days (1 place)."""
    return medians(histograms_from_rows(scope) if from_rows else histograms(scope))


def rebuild(session: Session, days: Sequence[date]) -> None:
    """Compute ``days`` (and their months) of ``customer_days`` again from the credits."""
    cd, ac = CustomerDay, AttributionCredit
    dialect = session.get_bind().dialect.name
    session.execute(delete(cd).where(cd.grain == DAY, cd.day.in_(days)))
    created = day_of(ac.lead_created_at, dialect)
    whole_days = _whole_days(ac.lead_customer_seconds)
    touch = [getattr(ac, name) for name in TOUCH]
    by_day = (
        select(literal(DAY), created, ac.model, *touch, whole_days, func.sum(_units(ac.credit)))
        .where(days_held(ac.lead_created_at, days), *_customers())
        .group_by(created, ac.model, *touch, whole_days)
    )
    named = ["grain", "day", "model", *TOUCH, "days", "weight"]
    session.execute(insert(cd).from_select(named, by_day))
    rebuild_months(session, cd, days, (*TOUCH, "days"), ("weight",))


def _customers() -> tuple[Any, ...]:
    ac = AttributionCredit
    return (ac.lead_status == LeadStatus.CUSTOMER.value, ac.lead_customer_seconds.is_not(None))


def _units(credit: Any) -> Any:
    """A credit in whole units of its last place (10⁻¹⁰), an integer on both databases."""
    return cast(func.round(credit * UNITS_PER_CREDIT), BigInteger)


def _whole_days(seconds: Any) -> Any:
    """Whole days of a count of seconds (integer division on both databases)."""
    return (seconds // SECONDS_PER_DAY).label("days")
