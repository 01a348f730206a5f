"""The five attribution models of contract §6 on hand-worked cases, and their invariants."""

from __future__ import annotations

from collections import namedtuple
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comarketing.attribution.credits import credit_rows
from comarketing.attribution.rules import MODELS, PLACES, Touch, credits, credits_by_model, eligible

T = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def touches(*ages_in_days: float) -> list[Touch]:
    """Touches keyed 1, 2, … at the given ages before T (oldest should come first)."""
    return [Touch(key=i, at=T - timedelta(days=age)) for i, age in enumerate(ages_in_days, 1)]


def approx(value: str) -> Decimal:
    return Decimal(value).quantize(PLACES)


# (model, ages of the touches in days, expected credit per key) — worked out by hand.
CASES = [
    ("first_touch", (10, 5, 1), {1: "1"}),
    ("last_touch", (10, 5, 1), {3: "1"}),
    ("linear", (10, 5, 1), {1: "0.3333333333", 2: "0.3333333333", 3: "0.3333333334"}),
    ("linear", (3, 2), {1: "0.5", 2: "0.5"}),
    ("position_based", (4,), {1: "1"}),
    ("position_based", (4, 1), {1: "0.5", 2: "0.5"}),
    ("position_based", (9, 6, 3, 1), {1: "0.4", 2: "0.1", 3: "0.1", 4: "0.4"}),
    ("position_based", (9, 6, 1), {1: "0.4", 2: "0.2", 3: "0.4"}),
    # Ages 14 and 7 days: weights 1/4 and 1/2 → 1/3 and 2/3.
    ("time_decay", (14, 7), {1: "0.3333333333", 2: "0.6666666667"}),
    # Ages 7 and 0 days: weights 1/2 and 1 → 1/3 and 2/3.
    ("time_decay", (7, 0), {1: "0.3333333333", 2: "0.6666666667"}),
    # Equal ages share equally.
    ("time_decay", (3, 3), {1: "0.5", 2: "0.5"}),
]


@pytest.mark.parametrize(("model", "ages", "expected"), CASES)
def test_hand_worked_cases(model, ages, expected):
    got = credits(model, touches(*ages), T)
    assert got == {key: approx(value) for key, value in expected.items()}


def test_touches_after_creation_or_beyond_the_lookback_earn_nothing():
    late = Touch(key=9, at=T + timedelta(seconds=1))
    old = Touch(key=8, at=T - 91 * DAY)
    kept = Touch(key=7, at=T - 90 * DAY)  # exactly at the window's edge: still in
    assert credits("linear", [late, old, kept], T) == {7: Decimal(1).quantize(PLACES)}
    assert credits("first_touch", [late, old], T) == {}


def test_lookback_and_half_life_are_configurable():
    pair = touches(20, 10)
    assert credits("last_touch", pair, T, lookback=15 * DAY) == {2: approx("1")}
    # Half-life 10 days: ages 20 and 10 → weights 1/4 and 1/2 → 1/3 and 2/3.
    assert credits("time_decay", pair, T, half_life=10 * DAY) == {
        1: approx("0.3333333333"),
        2: approx("0.6666666667"),
    }


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="u_shaped"):
        credits("u_shaped", touches(1), T)


touch_lists = st.lists(
    st.builds(
        Touch,
        key=st.integers(1, 10_000),
        at=st.integers(0, 100 * 24 * 3600).map(lambda s: T - timedelta(seconds=s)),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda touch: touch.key,
)


@given(model=st.sampled_from(MODELS), touch_list=touch_lists)
def test_credits_of_an_attributed_lead_sum_to_one(model, touch_list):
    got = credits(model, touch_list, T)
    if eligible(touch_list, T, 90 * DAY):
        assert sum(got.values()) == 1
        assert all(value > 0 for value in got.values())
    else:
        assert got == {}


@given(model=st.sampled_from(("first_touch", "last_touch")), touch_list=touch_lists)
def test_first_and_last_touch_credit_one_touch(model, touch_list):
    got = credits(model, touch_list, T)
    chosen = eligible(touch_list, T, 90 * DAY)
    if chosen:
        winner = chosen[0] if model == "first_touch" else chosen[-1]
        assert got == {winner.key: Decimal(1).quantize(PLACES)}


@given(model=st.sampled_from(MODELS), touch_list=touch_lists, data=st.data())
def test_input_order_does_not_matter(model, touch_list, data):
    shuffled = data.draw(st.permutations(touch_list))
    assert credits(model, shuffled, T) == credits(model, touch_list, T)


@given(touch_list=touch_lists | st.just([]))
def test_all_models_at_once_give_what_each_model_gives(touch_list):
    """``credits_by_model`` (eligibility once, one-touch shortcut) is only a faster ``credits``."""
    got = credits_by_model(touch_list, T, lookback=90 * DAY, half_life=7 * DAY)
    assert list(got) == list(MODELS)
    for model in MODELS:
        expected = credits(model, touch_list, T, lookback=90 * DAY, half_life=7 * DAY)
        assert got[model] == expected
        assert {key: str(value) for key, value in got[model].items()} == {
            key: str(value) for key, value in expected.items()
        }


StoredTouch = namedtuple(
    "StoredTouch", "id occurred_at partner_id campaign_id webinar_id channel", defaults=[None] * 4
)


@given(touch_list=touch_lists | st.just([]), half_life_days=st.sampled_from((1, 7, 30)))
def test_the_rows_stored_for_a_lead_sum_to_exactly_one_under_every_model(
    touch_list, half_life_days
):
    """The rows ``refresh_credits`` writes hold credits the column keeps as they are (10
    places), and those counted under a model (its own rows, or the ``all`` rows) sum to 1."""
    stored = [StoredTouch(t.key, t.at, partner_id=t.key % 4 or None) for t in touch_list]
    rows = credit_rows(1, T, stored, {}, 90 * DAY, half_life_days * DAY)
    assert {row["model"] for row in rows} in ({"all"}, set(MODELS))
    for model in MODELS:
        counted = [row["credit"] for row in rows if row["model"] in (model, "all")]
        assert sum(counted) == 1, model
        assert all(credit == credit.quantize(PLACES) for credit in counted), counted
        assert all(credit > 0 for credit in counted)
