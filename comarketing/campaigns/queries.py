"""Read queries over campaigns and spend, scoped to what the user may see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from comarketing.campaigns.models import Campaign, CampaignPartner, Spend
from comarketing.core.auth import scope_to_partner, scope_to_partner_via
from comarketing.core.db import AnySelect
from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.users.models import User


def campaigns_query(
    user: User,
    *,
    channel: str | None = None,
    partner_id: int | None = None,
    active_on: date | None = None,
    search: str | None = None,
) -> AnySelect:
    """Campaigns the user may see (a partner: those it takes part in), filtered."""
    stmt = scope_to_partner_via(
        select(Campaign), Campaign.id, CampaignPartner.campaign_id, CampaignPartner.partner_id, user
    )
    if channel:
        stmt = stmt.where(Campaign.channel == channel)
    if partner_id is not None:
        members = select(CampaignPartner.campaign_id).where(
            CampaignPartner.partner_id == partner_id
        )
        stmt = stmt.where(Campaign.id.in_(members))
    if active_on is not None:
        stmt = stmt.where(Campaign.starts_on <= active_on, Campaign.ends_on >= active_on)
    if search and search.strip():
        stmt = stmt.where(
            func.lower(Campaign.name).contains(search.strip().lower(), autoescape=True)
        )
    return stmt


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
