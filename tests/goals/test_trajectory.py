"""The arithmetic of a target, without the app: the planned curve, the forecast, the status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comarketing.goals.trajectory import (
    Status,
    forecast,
    monthly_growth,
    planned,
    reached,
    round2,
    status,
)

baselines = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2)
multiples = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(1000), places=4)
horizons = st.integers(min_value=1, max_value=120)


@given(baselines, multiples.filter(lambda m: m > 1), horizons)
def test_a_growing_plan_rises_every_month_from_the_baseline_to_its_multiple(
    baseline, multiple, horizon
):
    curve = [planned(baseline, multiple, horizon, t) for t in range(horizon + 1)]
    assert curve[0] == baseline
    assert all(earlier < later for earlier, later in zip(curve, curve[1:], strict=False))
    assert round2(curve[-1]) == round2(baseline * multiple)


@given(baselines, multiples.filter(lambda m: m < 1), horizons)
def test_a_shrinking_plan_falls_every_month(baseline, multiple, horizon):
    curve = [planned(baseline, multiple, horizon, t) for t in range(horizon + 1)]
    assert all(earlier > later for earlier, later in zip(curve, curve[1:], strict=False))


@given(baselines, multiples, horizons, st.data())
def test_each_month_multiplies_the_last_by_the_same_factor(baseline, multiple, horizon, data):
    t = data.draw(st.integers(min_value=1, max_value=horizon))
    step = planned(baseline, multiple, horizon, t) / planned(baseline, multiple, horizon, t - 1)
    one_month = planned(Decimal(1), multiple, horizon, 1)
    assert abs(step - one_month) < Decimal("1e-20")


@given(baselines, st.lists(baselines, min_size=1, max_size=30), horizons)
def test_the_forecast_of_steady_growth_is_the_growth_continued(baseline, actuals, horizon):
    """Growing by a constant factor from the baseline, the forecast is that curve's value
    at the horizon; the horizon's own actual once it is complete."""
    result = forecast(baseline, actuals, horizon)
    done = min(len(actuals), horizon)
    if done == horizon:
        assert result == actuals[horizon - 1]
        return
    values = [baseline, *actuals[:done]]
    steps = min(3, done)
    growth = (values[-1] / values[-1 - steps]) ** (Decimal(1) / steps)
    expected = values[-1] * growth ** (horizon - done)
    assert result is not None
    assert abs(result - expected) <= abs(expected) * Decimal("1e-20")


def test_the_issue_figures():
    """×2.5 in 18 months from 100: 105.22, 110.72, 116.50; 250.00 at the horizon."""
    plan = [round2(planned(Decimal(100), Decimal("2.5"), 18, t)) for t in (1, 2, 3, 18)]
    assert plan == [Decimal("105.22"), Decimal("110.72"), Decimal("116.50"), Decimal("250.00")]
    # 130 after 100 → 1.3 over three months: 130 × 1.3^5 = 482.6809; 110: 110 × 1.1^5 = 177.1561
    three = [Decimal(105), Decimal(115)]
    assert round2(forecast(Decimal(100), [*three, Decimal(130)], 18)) == Decimal("482.68")
    assert round2(forecast(Decimal(100), [*three, Decimal(110)], 18)) == Decimal("177.16")
    # One month: from the baseline, 105 × 1.05^17 = 240.6619
    assert round2(forecast(Decimal(100), [Decimal(105)], 18)) == Decimal("240.66")
    # Past three months the window moves: from month 1's 105 to month 4's 150 in three
    # steps, 14 more months: 150 × (150/105)^(14/3) = 792.4412
    actuals = [Decimal(105), Decimal(115), Decimal(130), Decimal(150)]
    assert round2(forecast(Decimal(100), actuals, 18)) == Decimal("792.44")


@pytest.mark.parametrize(
    ("values", "growth"),
    [
        ([Decimal(100)], None),  # no step yet
        ([Decimal(0), Decimal(5)], None),  # from nothing: no rate
        ([Decimal(100), Decimal(-5)], None),  # refunds made the month negative
        ([Decimal(100), Decimal(0)], Decimal(0)),
        ([Decimal(100), Decimal(0), Decimal(0), Decimal("133.1")], Decimal("1.1")),
    ],
)
def test_growth_without_meaning_is_none(values, growth):
    result = monthly_growth(values)
    if growth is None:
        assert result is None
    else:
        assert result is not None
        assert round2(result) == round2(growth)


def test_status_compares_the_plan_as_shown():
    assert status(Decimal("105.22"), Decimal(105)) is Status.BEHIND
    assert status(Decimal("105.22"), Decimal("105.22")) is Status.ON_TRACK
    assert status(None, None) is Status.NOT_STARTED
    assert reached(Decimal(100), Decimal(130)) == Decimal("1.3")
    assert reached(Decimal(0), Decimal(130)) is None


def test_a_plan_needs_a_horizon_and_a_positive_multiple():
    with pytest.raises(ValueError, match="horizon"):
        planned(Decimal(1), Decimal(2), 0, 1)
    with pytest.raises(ValueError, match="positive"):
        planned(Decimal(1), Decimal(0), 12, 1)
