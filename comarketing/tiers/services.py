"""Defining tiers and setting a partner's tier by hand. Services flush; callers commit."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.errors import Conflict, Problems
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.tiers.models import Tier, TierMove


def create_tier(
    *,
    name: str,
    rank: int,
    commission_rate: Decimal,
    customers_12m: int | None = None,
    revenue_12m: Decimal | None = None,
    mdf_share: Decimal | None = None,
) -> Tier:
    """A new tier; names and ranks are unique (409 otherwise)."""
    name = name.strip()
    problems = Problems()
    if not name:
        problems.add("name", _("Required."))
    if customers_12m is not None and customers_12m < 0:
        problems.add("criteria", _("Paying clients cannot be negative."))
    if revenue_12m is not None and revenue_12m < 0:
        problems.add("criteria", _("Revenue cannot be negative."))
    problems.raise_if_any()
    taken = db.session.scalar(select(Tier).where((Tier.name == name) | (Tier.rank == rank)))
    if taken is not None:
        raise Conflict(_("A tier with this name or rank exists: «%(name)s».", name=taken.name))
    tier = Tier(
        name=name,
        rank=rank,
        customers_12m=customers_12m,
        revenue_12m=revenue_12m,
        commission_rate=commission_rate,
        mdf_share=mdf_share,
    )
    db.session.add(tier)
    db.session.flush()
    return tier


def set_tier_by_hand(partner: Partner, tier_name: str | None, *, locked: bool, note: str) -> None:
    """A person sets the tier (and whether evaluation leaves it alone); the move is kept. A
    known tier's benefits come with it."""
    if (tier_name or None) != partner.tier:
        db.session.add(
            TierMove(
                partner_id=partner.id,
                from_tier=partner.tier,
                to_tier=tier_name or None,
                at=utcnow(),
                reason=note,
                by_hand=True,
            )
        )
        partner.tier = tier_name or None
        tier = db.session.scalar(select(Tier).where(Tier.name == tier_name)) if tier_name else None
        if tier is not None:
            partner.commission_rate = tier.commission_rate
            partner.mdf_share = tier.mdf_share
    partner.tier_locked = locked
    partner.below_tier_since = None
    db.session.flush()
