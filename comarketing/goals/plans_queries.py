"""Read queries over joint business plans, already scoped to what the user may see."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.goals.plans_models import PartnerPlan
from comarketing.partners.models import Partner

if TYPE_CHECKING:
    from comarketing.users.models import User


def plans_query(user: User, *, partner_id: int | None = None) -> AnySelect:
    """Plans ``user`` may see (a partner user: its own partner's), newest period first."""
    stmt = scope_to_partner(select(PartnerPlan), PartnerPlan.partner_id, user)
    if partner_id is not None:
        stmt = stmt.where(PartnerPlan.partner_id == partner_id)
    return stmt.order_by(PartnerPlan.starts_on.desc(), PartnerPlan.ends_before, PartnerPlan.id)


def visible_plan_query(user: User, partner_id: int, plan_id: int) -> AnySelect:
    """One plan of one partner, if ``user`` may see it (nothing otherwise: a 404)."""
    return plans_query(user, partner_id=partner_id).where(PartnerPlan.id == plan_id)


def current_plans_query(user: User, today: date) -> AnySelect:
    """Plans whose period holds ``today`` (a local day) — the quarter's and the month's — of
    active partners, by partner name."""
    return (
        scope_to_partner(select(PartnerPlan), PartnerPlan.partner_id, user)
        .join(Partner, Partner.id == PartnerPlan.partner_id)
        .options(contains_eager(PartnerPlan.partner))
        .where(
            PartnerPlan.starts_on <= today,
            PartnerPlan.ends_before > today,
            Partner.active.is_(True),
        )
        .order_by(Partner.name, PartnerPlan.starts_on, PartnerPlan.ends_before.desc())
    )
