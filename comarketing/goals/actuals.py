"""A metric per calendar month of the app's time zone, from the rows the ROI report reads
(leads and their owners, payments): one aggregate query per metric, one column per month.

A month is [its first instant, the next month's first instant) on the wall clocks of
``BABEL_DEFAULT_TIMEZONE``: the bounds are computed here and compared with the stored UTC
times, so the same SQL works on SQLite and PostgreSQL and no row leaves the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, distinct, func, select

from comarketing.commissions.models import Payment
from comarketing.core.db import AnySelect
from comarketing.core.money import money
from comarketing.core.time import month_bounds
from comarketing.extensions import db
from comarketing.goals.models import KpiMetric
from comarketing.leads.models import Lead
from comarketing.partners.models import Partner

ACTIVE_WINDOW = timedelta(days=90)  # an active partner owns a lead created in this window


def month_span(first: date, zone: str) -> tuple[datetime, datetime]:
    """[start, end) of the month of ``first`` in ``zone``, as UTC instants."""
    start, end = month_bounds(first.year, first.month, zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def monthly_actuals(
    metric: KpiMetric, segment: str | None, months: Sequence[date], zone: str
) -> dict[date, Decimal]:
    """``metric`` for each of ``months`` (first days), for the partners of ``segment`` (any
    partner when None), by the definitions of contract §9:

    - ``leads``: leads created in the month whose current owner is such a partner;
    - ``customers``: those leads whose first payment falls in the month;
    - ``revenue``: RUB paid in the month for those leads, refunds (negative) included;
    - ``active_partners``: such partners owning a lead created in the 90 days up to the
      month's end.
    """
    if not months:
        return {}
    spans = [month_span(month, zone) for month in months]
    if metric is KpiMetric.ACTIVE_PARTNERS:
        spans = [(end - ACTIVE_WINDOW, end) for _start, end in spans]
    moment, measure = _moment_and_measure(metric)
    stmt = _owned_by_segment(
        select(*(measure.filter(moment >= start, moment < end) for start, end in spans)),
        segment,
        metric,
    ).where(moment >= min(start for start, _end in spans), moment < max(e for _s, e in spans))
    row = db.session.execute(stmt).one()
    # SQLite sums money as floats: back to kopecks (exact at these magnitudes).
    exact = money if metric is KpiMetric.REVENUE else Decimal
    return {month: exact(str(value or 0)) for month, value in zip(months, row, strict=True)}


def _moment_and_measure(metric: KpiMetric) -> tuple[Any, Any]:
    if metric is KpiMetric.LEADS:
        return Lead.created_at, func.count(Lead.id)
    if metric is KpiMetric.CUSTOMERS:
        return Lead.first_payment_at, func.count(Lead.id)
    if metric is KpiMetric.REVENUE:
        return Payment.paid_at, func.sum(Payment.amount)
    return Lead.created_at, func.count(distinct(Lead.owner_partner_id))


def _owned_by_segment(stmt: AnySelect, segment: str | None, metric: KpiMetric) -> AnySelect:
    """The rows of leads whose owner is a partner of ``segment`` (any partner when None)."""
    if metric is KpiMetric.REVENUE:
        stmt = stmt.select_from(Payment).join(Lead, Lead.id == Payment.lead_id)
    else:
        stmt = stmt.select_from(Lead)
    owner: ColumnElement[bool] = Partner.id == Lead.owner_partner_id
    if segment is not None:
        owner = and_(owner, Partner.segment == segment)
    return stmt.join(Partner, owner)
