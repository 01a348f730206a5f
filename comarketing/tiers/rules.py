"""The tier rules as pure functions: which tier a partner's standing meets, and whether it
moves now (promotion at once; demotion only after the grace period below its tier)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class TierRule:
    name: str
    rank: int
    customers_12m: int | None
    revenue_12m: Decimal | None

    def met_by(self, standing: Standing) -> bool:
        """Every criterion the tier sets is met (a tier without criteria is met by all)."""
        return (self.customers_12m is None or standing.customers >= self.customers_12m) and (
            self.revenue_12m is None or standing.revenue >= self.revenue_12m
        )


@dataclass(frozen=True)
class Standing:
    """A partner's last 12 months: paying clients it owns, and their payments (RUB)."""

    customers: int
    revenue: Decimal


@dataclass(frozen=True)
class Decision:
    to: TierRule | None  # the tier to move to (None: no tier)
    move: bool
    below_since: datetime | None  # what ``below_tier_since`` becomes


def best_tier(tiers: Sequence[TierRule], standing: Standing) -> TierRule | None:
    """The highest-ranked tier whose criteria ``standing`` meets."""
    met = [tier for tier in tiers if tier.met_by(standing)]
    return max(met, key=lambda tier: tier.rank) if met else None


def decide(
    current: TierRule | None,
    best: TierRule | None,
    below_since: datetime | None,
    as_of: datetime,
    grace: timedelta,
) -> Decision:
    """Promote at once; stay while below the tier until ``grace`` has passed since the partner
    first fell below it, then move down to the best tier it meets."""
    current_rank = current.rank if current else None
    best_rank = best.rank if best else None
    if current_rank is None or (best_rank is not None and best_rank > current_rank):
        return Decision(best, best is not None, None)
    if best_rank == current_rank:
        return Decision(current, False, None)
    since = below_since or as_of
    if as_of - since >= grace:
        return Decision(best, True, None)
    return Decision(current, False, since)
