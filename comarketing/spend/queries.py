"""Read queries over spend (RUB), scoped to what the user may see."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.spend.models import Spend
from comarketing.users.models import User


def spend_total(*, campaign_id: int | None = None, webinar_id: int | None = None) -> Decimal:
    """All spend (RUB) on a campaign or a webinar, vendor and partners together."""
    stmt = select(func.coalesce(func.sum(Spend.amount), 0))
    if campaign_id is not None:
        stmt = stmt.where(Spend.campaign_id == campaign_id)
    if webinar_id is not None:
        stmt = stmt.where(Spend.webinar_id == webinar_id)
    return money(db.session.scalar(stmt) or 0)


def spend_query(
    user: User, *, campaign_id: int | None = None, webinar_id: int | None = None
) -> AnySelect:
    """Spend rows, newest first; a partner user sees the rows it paid."""
    stmt = scope_to_partner(select(Spend), Spend.partner_id, user)
    if campaign_id is not None:
        stmt = stmt.where(Spend.campaign_id == campaign_id)
    if webinar_id is not None:
        stmt = stmt.where(Spend.webinar_id == webinar_id)
    return stmt.order_by(Spend.spent_on.desc(), Spend.id.desc())


def spend_totals(campaign_ids: list[int]) -> dict[int, Decimal]:
    """Spend (RUB) per campaign, in one GROUP BY."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(Spend.campaign_id, func.sum(Spend.amount))
        .where(Spend.campaign_id.in_(campaign_ids))
        .group_by(Spend.campaign_id)
    )
    return {campaign_id: money(total or 0) for campaign_id, total in rows if campaign_id}
