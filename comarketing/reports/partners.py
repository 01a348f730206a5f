"""A partner across the domains, for the partners list, the dashboard and a partner's page:
its links, leads, webinars, campaigns and spend, each an aggregate in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.links.models import Click, TrackedLink
from comarketing.partners.models import Partner
from comarketing.spend.models import Spend
from comarketing.webinars.models import Webinar, WebinarHost


def partner_overview() -> AnySelect:
    """Each partner with its number of tracked links and of leads it owns, computed in SQL."""
    links = (
        select(TrackedLink.partner_id, func.count(TrackedLink.id).label("count"))
        .group_by(TrackedLink.partner_id)
        .subquery()
    )
    leads = (
        select(Lead.owner_partner_id.label("partner_id"), func.count(Lead.id).label("count"))
        .group_by(Lead.owner_partner_id)
        .subquery()
    )
    return (
        select(
            Partner,
            func.coalesce(links.c.count, 0).label("links"),
            func.coalesce(leads.c.count, 0).label("leads"),
        )
        .outerjoin(links, links.c.partner_id == Partner.id)
        .outerjoin(leads, leads.c.partner_id == Partner.id)
        .order_by(Partner.segment, Partner.name)
    )


def partner_activity(partner_id: int) -> dict[str, Any]:
    """What a partner has done with us so far, for its page: webinars co-hosted, campaigns,
    spend by who paid, links, clicks and leads owned (each an aggregate in SQL)."""
    webinars = _latest(Webinar.starts_at, WebinarHost.partner_id, partner_id)
    campaigns = _latest(Campaign.starts_on, CampaignPartner.partner_id, partner_id)
    spend = dict(
        db.session.execute(
            select(Spend.paid_by, func.sum(Spend.amount))
            .where(Spend.partner_id == partner_id)
            .group_by(Spend.paid_by)
        ).all()
    )
    links = db.session.scalar(
        select(func.count(TrackedLink.id)).where(TrackedLink.partner_id == partner_id)
    )
    clicks = db.session.scalar(
        select(func.count(Click.id))
        .join(TrackedLink, Click.link_id == TrackedLink.id)
        .where(TrackedLink.partner_id == partner_id, Click.is_bot.is_(False))
    )
    leads = db.session.scalar(
        select(func.count(Lead.id)).where(Lead.owner_partner_id == partner_id)
    )
    return {
        "webinars": webinars,
        "campaigns": campaigns,
        "spend": spend,
        "links": links or 0,
        "clicks": clicks or 0,
        "leads": leads or 0,
    }


def _latest(starts: Any, partner_of: Any, partner_id: int) -> Sequence[Any]:
    """The 20 latest-starting objects (webinars, campaigns: ``starts``' table) the partner
    takes part in (``partner_of``: the partner column of their link table)."""
    entity, link = starts.class_, partner_of.class_
    return db.session.scalars(
        select(entity).join(link).where(partner_of == partner_id).order_by(starts.desc()).limit(20)
    ).all()
