"""The tier rules as properties: a partner is never moved below a tier it meets, is promoted
at once, and is demoted only once the grace period has passed since it fell below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from comarketing.tiers.rules import Standing, TierRule, best_tier, decide

TIERS = [
    TierRule("Bronze", 1, 1, None),
    TierRule("Silver", 2, 3, Decimal("100000")),
    TierRule("Gold", 3, 5, Decimal("500000")),
]
GRACE = timedelta(days=90)
NOW = datetime(2026, 12, 1, tzinfo=UTC)

standings = st.builds(
    Standing,
    st.integers(0, 10),
    st.decimals(0, 1_000_000, places=2).map(Decimal),
)
current_tiers = st.sampled_from([None, *TIERS])
below_for = st.one_of(st.none(), st.integers(0, 400).map(lambda days: NOW - timedelta(days=days)))


@given(standing=standings, current=current_tiers, below_since=below_for)
def test_moves_follow_the_rules(standing, current, below_since):
    best = best_tier(TIERS, standing)
    decision = decide(current, best, below_since, NOW, GRACE)
    best_rank = best.rank if best else 0
    current_rank = current.rank if current else 0
    end_rank = decision.to.rank if decision.to else 0
    assert end_rank >= best_rank  # never below what the partner meets
    if best_rank > current_rank:
        assert decision.move  # promoted at once
        assert decision.to == best
    if best_rank < current_rank:
        waited = NOW - (below_since or NOW)
        assert decision.move == (waited >= GRACE)
        assert decision.below_since == (None if decision.move else (below_since or NOW))
    if best_rank == current_rank:
        assert not decision.move
        assert decision.below_since is None


def test_every_criterion_must_be_met():
    assert best_tier(TIERS, Standing(6, Decimal("200000"))) == TIERS[1]
    assert best_tier(TIERS, Standing(6, Decimal("500000"))) == TIERS[2]
    assert best_tier(TIERS, Standing(0, Decimal("999999"))) is None
