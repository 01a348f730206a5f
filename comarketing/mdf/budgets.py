"""MDF budgets and their ledger (RUB).

The ledger of a budget, over the requests bound to it (``MdfRequest.budget_id``):

- ``allocated``: the budget's amount;
- ``reserved``: approved amounts of requests that are approved or claimed (not yet paid);
- ``claimed``: of ``reserved``, the approved amounts of claimed requests (for display);
- ``paid``: the vendor spend written on reimbursement (it replaces the reservation: what was
  approved but not paid goes back to the budget);
- ``remaining = allocated − reserved − paid``.

Submitted requests reserve nothing: the cap is checked on submission and again on approval.
A budget applies to a request when it names the request's partner, or the partner's tier, or
nobody (everyone), and its period contains the day the activity starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, case, func, or_, select

from comarketing.core.db import AnySelect
from comarketing.core.errors import Problems
from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.mdf.models import MdfBudget, MdfClaim, MdfRequest, MdfStatus
from comarketing.partners.models import Partner
from comarketing.spend.models import Spend
from comarketing.users.models import User

RESERVING = (MdfStatus.APPROVED, MdfStatus.CLAIMED)


@dataclass(frozen=True)
class Ledger:
    """The figures of one budget (RUB, 2 places)."""

    budget: MdfBudget
    allocated: Decimal
    reserved: Decimal
    claimed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.reserved - self.paid


def create_budget(
    *,
    name: str,
    period_start: date,
    period_end: date,
    amount: Decimal,
    partner_id: int | None = None,
    tier: str | None = None,
) -> MdfBudget:
    """Set aside ``amount`` RUB for a period, for one partner, one tier or (neither) everyone."""
    problems = Problems()
    if period_end < period_start:
        problems.add("period_end", _("The period cannot end before it starts."))
    if amount <= 0:
        problems.add("amount", _("The amount must be positive."))
    if partner_id is not None and tier:
        problems.add("tier", _("Give a partner or a tier, not both."))
    if partner_id is not None and db.session.get(Partner, partner_id) is None:
        problems.add("partner_id", _("No partner with this id."))
    problems.raise_if_any()
    budget = MdfBudget(
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        amount=money(amount),
        partner_id=partner_id,
        tier=(tier or "").strip() or None,
    )
    db.session.add(budget)
    db.session.flush()
    return budget


def _applies_to(partner_id: int, tier: str | None) -> ColumnElement[bool]:
    everyone = MdfBudget.partner_id.is_(None) & MdfBudget.tier.is_(None)
    conditions = [MdfBudget.partner_id == partner_id, everyone]
    if tier:
        conditions.append(MdfBudget.partner_id.is_(None) & (MdfBudget.tier == tier))
    return or_(*conditions)


def budgets_query(user: User, *, partner_id: int | None = None) -> AnySelect:
    """Budgets ``user`` may see: staff all (or those applying to ``partner_id``); a partner
    user those applying to its own partner (its own, its tier's, everyone's)."""
    if user.is_partner:
        partner_id = user.partner_id
    stmt = select(MdfBudget)
    if partner_id is not None:
        partner = db.session.get(Partner, partner_id)
        stmt = stmt.where(_applies_to(partner_id, partner.tier if partner else None))
    return stmt


def ledgers(budgets: list[MdfBudget]) -> list[Ledger]:
    """The ledger of each budget, in one grouped query for reservations and one for payments."""
    ids = [budget.id for budget in budgets]
    reserved: dict[int, tuple[Decimal, Decimal]] = {}
    paid: dict[int, Decimal] = {}
    if ids:
        approved = func.coalesce(MdfRequest.approved_amount, 0)
        rows = db.session.execute(
            select(
                MdfRequest.budget_id,
                func.sum(approved),
                func.sum(case((MdfRequest.status == MdfStatus.CLAIMED, approved), else_=0)),
            )
            .where(MdfRequest.budget_id.in_(ids), MdfRequest.status.in_(RESERVING))
            .group_by(MdfRequest.budget_id)
        )
        reserved = {int(row[0] or 0): (Decimal(row[1] or 0), Decimal(row[2] or 0)) for row in rows}
        paid_rows = db.session.execute(
            select(MdfRequest.budget_id, func.sum(Spend.amount))
            .join(MdfClaim, MdfClaim.request_id == MdfRequest.id)
            .join(Spend, Spend.id == MdfClaim.spend_id)
            .where(MdfRequest.budget_id.in_(ids))
            .group_by(MdfRequest.budget_id)
        )
        paid = {int(row[0] or 0): Decimal(row[1] or 0) for row in paid_rows}
    return [
        Ledger(
            budget=budget,
            allocated=money(budget.amount),
            reserved=money(reserved.get(budget.id, (Decimal(0), Decimal(0)))[0]),
            claimed=money(reserved.get(budget.id, (Decimal(0), Decimal(0)))[1]),
            paid=money(paid.get(budget.id, Decimal(0))),
        )
        for budget in budgets
    ]


def applicable_ledgers(partner: Partner, starts_on: date) -> list[Ledger]:
    """Ledgers of the budgets a request of ``partner`` starting on ``starts_on`` may draw on,
    the most specific first (the partner's own, its tier's, everyone's), then oldest."""
    specificity = case(
        (MdfBudget.partner_id.is_not(None), 0), (MdfBudget.tier.is_not(None), 1), else_=2
    )
    stmt = (
        select(MdfBudget)
        .where(
            _applies_to(partner.id, partner.tier),
            MdfBudget.period_start <= starts_on,
            MdfBudget.period_end >= starts_on,
        )
        .order_by(specificity, MdfBudget.id)
        .with_for_update()  # two approvals at once must not both spend the last rouble
    )
    return ledgers(list(db.session.scalars(stmt)))


def pick_ledger(partner: Partner, starts_on: date, amount: Decimal) -> tuple[Ledger | None, str]:
    """The first applicable budget with ``amount`` remaining, or None and why not."""
    candidates = applicable_ledgers(partner, starts_on)
    if not candidates:
        return None, _("No MDF budget covers the start date of this activity.")
    for ledger in candidates:
        if ledger.remaining >= amount:
            return ledger, ""
    most = max(ledger.remaining for ledger in candidates)
    return None, _("Only %(amount)s RUB remain in the MDF budget.", amount=max(most, Decimal(0)))
