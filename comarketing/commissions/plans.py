"""Commission plans per product (contract §11). Without a plan, the partner's own rate applies
to every product. Services flush; callers commit."""

from __future__ import annotations

import calendar
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.commissions.brackets import Bracket, parse_brackets
from comarketing.commissions.models import CommissionPlan, PlanBasis
from comarketing.core.errors import Conflict, Problems
from comarketing.core.time import shift_month
from comarketing.extensions import db

PRODUCT = re.compile(r"^[a-z0-9_]{2,40}$")


def plan_for(product: str) -> CommissionPlan | None:
    return db.session.scalar(select(CommissionPlan).where(CommissionPlan.product == product))


def monthly_products() -> list[str]:
    """Products paid on the monthly total (earned when a month closes)."""
    return list(
        db.session.scalars(
            select(CommissionPlan.product)
            .where(CommissionPlan.basis == PlanBasis.MONTHLY_TOTAL)
            .order_by(CommissionPlan.product)
        )
    )


def plan_brackets(plan: CommissionPlan) -> list[Bracket]:
    return parse_brackets(plan.brackets or [])


def within_months(first_payment_at: datetime | None, paid_at: datetime, months: int | None) -> bool:
    """Whether a payment falls within ``months`` of the client's first payment (always, without
    a limit or before any first payment). 31 January + 1 month ends on 28/29 February."""
    if months is None or first_payment_at is None:
        return True
    year, month = shift_month(first_payment_at.year, first_payment_at.month, months)
    day = min(first_payment_at.day, calendar.monthrange(year, month)[1])
    return paid_at < first_payment_at.replace(year=year, month=month, day=day)


def _bracket_problems(problems: Problems, brackets: list[dict[str, Any]] | None) -> None:
    if not brackets:
        problems.add("brackets", _("A monthly total needs at least one bracket."))
        return
    starts = [Decimal(str(item["from"])) for item in brackets]
    if len(set(starts)) != len(starts):
        problems.add("brackets", _("Two brackets start at the same total."))
    if min(starts) != 0:
        problems.add("brackets", _("The lowest bracket starts at 0."))


def create_plan(
    *,
    product: str,
    basis: PlanBasis | str = PlanBasis.PAYMENT,
    rate: Decimal | None = None,
    brackets: list[dict[str, Any]] | None = None,
    months: int | None = None,
) -> CommissionPlan:
    """A product's plan: a flat ``rate`` (basis ``payment``) or ``brackets`` (basis
    ``monthly_total``); one plan per product (409 for a second)."""
    basis = PlanBasis(basis)
    problems = Problems()
    if not PRODUCT.match(product):
        problems.add("product", _("Use 2–40 of a-z, 0-9 and _."))
    if basis is PlanBasis.PAYMENT and rate is None:
        problems.add("rate", _("A flat plan needs a rate."))
    if basis is PlanBasis.MONTHLY_TOTAL:
        _bracket_problems(problems, brackets)
    if months is not None and not 1 <= months <= 120:
        problems.add("months", _("Between 1 and 120 months."))
    problems.raise_if_any()
    if plan_for(product) is not None:
        raise Conflict(_("The product «%(product)s» has a plan already.", product=product))
    normalized = (
        [{"from": f"{b.start:.2f}", "rate": f"{b.rate}"} for b in parse_brackets(brackets or [])]
        if basis is PlanBasis.MONTHLY_TOTAL
        else None
    )
    plan = CommissionPlan(
        product=product,
        basis=basis,
        rate=rate if basis is PlanBasis.PAYMENT else None,
        brackets=normalized,
        months=months,
    )
    db.session.add(plan)
    db.session.flush()
    return plan
