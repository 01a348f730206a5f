"""Where a partner stands on the way to the next tier: what it holds, what the next tier
needs and how far it is ("3 more paying clients to Gold"), for its portal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.tiers.evaluate import tier_rules
from comarketing.tiers.models import Tier
from comarketing.tiers.rules import Standing, TierRule
from comarketing.tiers.standing import ZERO, standings


@dataclass(frozen=True)
class TierProgress:
    standing: Standing  # the last 12 months
    current: Tier | None
    following: Tier | None  # the next tier up (None: the top, or no tiers)
    clients_missing: int  # more paying clients the next tier needs
    revenue_missing: Decimal  # more revenue (RUB) it needs
    below_since: datetime | None  # below its tier's criteria since (the grace period runs)

    @property
    def share(self) -> float:
        """How far along to the next tier, 0–1 (the further of its criteria decides)."""
        if self.following is None:
            return 1.0
        parts = []
        if self.following.customers_12m:
            parts.append(min(self.standing.customers / self.following.customers_12m, 1.0))
        if self.following.revenue_12m:
            parts.append(min(float(self.standing.revenue / self.following.revenue_12m), 1.0))
        return min(parts) if parts else 1.0


def next_tier(rules: Sequence[TierRule], current: str | None) -> TierRule | None:
    """The lowest tier ranked above ``current`` (above nothing: the lowest)."""
    rank = next(
        (r.rank for r in rules if current and r.name.casefold() == current.casefold()), None
    )
    above = [r for r in rules if rank is None or r.rank > rank]
    return min(above, key=lambda r: r.rank) if above else None


def tier_progress(partner: Partner, as_of: datetime) -> TierProgress | None:
    """The partner's progress (None when the program has no tiers)."""
    rules = tier_rules()
    if not rules:
        return None
    standing = standings(as_of, [partner.id]).get(partner.id, ZERO)
    tiers = {tier.name: tier for tier in db.session.scalars(select(Tier))}
    current = next(
        (
            t
            for name, t in tiers.items()
            if partner.tier and name.casefold() == partner.tier.casefold()
        ),
        None,
    )
    rule = next_tier(rules, current.name if current else None)
    following = tiers[rule.name] if rule else None
    clients = max((following.customers_12m or 0) - standing.customers, 0) if following else 0
    revenue = (
        money(max((following.revenue_12m or Decimal(0)) - standing.revenue, Decimal(0)))
        if following
        else Decimal("0.00")
    )
    return TierProgress(standing, current, following, clients, revenue, partner.below_tier_since)
