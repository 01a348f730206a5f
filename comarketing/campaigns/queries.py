"""Read queries over campaigns, scoped to what the user may see."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.auth import scope_to_partner_via
from comarketing.core.db import AnySelect
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


def campaign_choices() -> list[SelectChoice]:
    rows = db.session.execute(
        select(Campaign.id, Campaign.name).order_by(Campaign.starts_on.desc())
    )
    return [SelectChoice(0, _("— no campaign —"))] + [SelectChoice(cid, name) for cid, name in rows]
