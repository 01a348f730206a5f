"""Recording and changing joint business plans. Services flush; the caller commits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.money import MAX_MONEY, money
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.goals.plans_models import GOALS, PartnerPlan
from comarketing.goals.plans_periods import InvalidPeriod, PlanPeriod, parse_period
from comarketing.partners.models import Partner

MAX_COUNT_GOAL = 1_000_000_000  # webinars, leads, customers: any real goal, within an integer
Goal = int | Decimal | None


def plan_period(text: str) -> PlanPeriod:
    """``text`` as a period, or a 422 on ``period`` saying what to fix."""
    try:
        return parse_period(text)
    except InvalidPeriod as invalid:
        problem = str(invalid.problem)
        raise ValidationFailed(problem, fields={"period": [problem]}) from None


def _checked_goals(goals: Mapping[str, Goal]) -> dict[str, Goal]:
    """The goals as stored: counts whole and from 0, revenue in roubles from 0; None is no
    goal. A plan needs at least one goal."""
    problems: dict[str, list[str]] = {}
    checked: dict[str, Goal] = {}
    for name in GOALS:
        value = goals.get(name)
        if value is None:
            checked[name] = None
        elif name == "revenue":
            amount = Decimal(value)
            if not amount.is_finite() or not 0 <= amount <= MAX_MONEY:
                problems[f"goals.{name}"] = [_("Give an amount of roubles from 0.")]
            else:
                checked[name] = money(amount)
        elif isinstance(value, bool) or not isinstance(value, int):
            problems[f"goals.{name}"] = [_("Give a whole number.")]
        elif not 0 <= value <= MAX_COUNT_GOAL:
            problems[f"goals.{name}"] = [
                _("Give a whole number from 0 to %(max)s.", max=MAX_COUNT_GOAL)
            ]
        else:
            checked[name] = value
    if problems:
        raise ValidationFailed(_("Check the plan's goals."), fields=problems)
    if all(value is None for value in checked.values()):
        message = _("Set at least one goal: webinars, leads, customers or revenue.")
        raise ValidationFailed(message, fields={"goals": [message]})
    return checked


def _taken(partner: Partner, period: PlanPeriod) -> Conflict:
    return Conflict(
        _(
            "%(partner)s already has a plan for %(period)s.",
            partner=partner.name,
            period=period.key,
        ),
        code="plan_exists",
    )


def create_plan(
    partner: Partner,
    *,
    period: str,
    goals: Mapping[str, Goal],
    note: str = "",
    agreed_by: str = "",
    agreed_at: datetime | None = None,
    created_by_id: int | None = None,
) -> PartnerPlan:
    """Record ``partner``'s goals for ``period`` (``YYYY-Qn`` or ``YYYY-MM``). One plan per
    partner and period: a second is a 409 (``plan_exists``), even when two arrive at once.
    Naming who agreed (``agreed_by``) without ``agreed_at`` dates the agreement now."""
    parsed = plan_period(period)
    checked = _checked_goals(goals)
    exists = select(PartnerPlan.id).where(
        PartnerPlan.partner_id == partner.id, PartnerPlan.period == parsed.key
    )
    if db.session.scalar(exists) is not None:
        raise _taken(partner, parsed)
    agreed_by = agreed_by.strip()
    plan = PartnerPlan(
        partner_id=partner.id,
        period=parsed.key,
        starts_on=parsed.starts_on,
        ends_before=parsed.ends_before,
        note=note.strip(),
        agreed_by=agreed_by,
        agreed_at=agreed_at or (utcnow() if agreed_by else None),
        created_by_id=created_by_id,
        **checked,
    )
    try:
        with db.session.begin_nested():
            db.session.add(plan)
    except IntegrityError:
        raise _taken(partner, parsed) from None
    return plan


def update_plan(
    plan: PartnerPlan,
    *,
    goals: Mapping[str, Goal] | None = None,
    note: str | None = None,
    agreed_by: str | None = None,
    agreed_at: datetime | None = None,
) -> PartnerPlan:
    """Change a plan's goals (the goals named in ``goals``; None clears one, but one must
    remain), its note and its agreement. The period stays: another period is another plan."""
    if goals is not None:
        current: dict[str, Goal] = {name: getattr(plan, name) for name in GOALS}
        for name, value in _checked_goals({**current, **goals}).items():
            setattr(plan, name, value)
    if note is not None:
        plan.note = note.strip()
    if agreed_by is not None:
        plan.agreed_by = agreed_by.strip()
        if plan.agreed_by and agreed_at is None and plan.agreed_at is None:
            plan.agreed_at = utcnow()
    if agreed_at is not None:
        plan.agreed_at = agreed_at
    db.session.flush()
    return plan
