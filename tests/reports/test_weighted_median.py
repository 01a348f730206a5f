"""The rule of the median days to customer (``customer_days.weighted_median``): with every
weight 1 it is the plain median; with weights, a lead weighs its credit."""

import statistics
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from comarketing.reports.customer_days import medians, weighted_median

ONE = Decimal(1)


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60))
def test_with_unit_weights_it_is_the_plain_median(days):
    histogram: dict[int, Decimal] = {}
    for value in days:
        histogram[value] = histogram.get(value, Decimal(0)) + ONE
    plain = Decimal(str(statistics.median(days))).quantize(Decimal("0.1"))
    assert weighted_median(histogram) == plain


@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=400),
        st.integers(min_value=1, max_value=10**6).map(lambda n: Decimal(n).scaleb(-4)),
        min_size=1,
        max_size=30,
    )
)
def test_at_least_half_the_weight_lies_on_each_side(histogram):
    median = weighted_median(histogram)
    assert median is not None
    total = sum(histogram.values())
    assert 2 * sum(w for d, w in histogram.items() if d <= median) >= total
    assert 2 * sum(w for d, w in histogram.items() if d >= median) >= total
    assert min(histogram) <= median <= max(histogram)


def test_weights_move_the_median_and_an_exact_half_takes_the_mean():
    assert weighted_median({4: ONE, 10: ONE, 20: Decimal("0.5"), 30: ONE}) == Decimal("10.0")
    assert weighted_median({2: ONE, 7: ONE}) == Decimal("4.5")
    assert weighted_median({5: Decimal("0.25"), 9: Decimal("0.75")}) == Decimal("9.0")
    assert weighted_median({5: Decimal("0.5"), 9: Decimal("0.5")}) == Decimal("7.0")
    assert weighted_median({}) is None
    assert weighted_median({3: Decimal(0)}) is None


def test_medians_add_the_touches_of_a_key_and_every_key_into_the_totals():
    """Rows of (key, whole days, credits in units of 10⁻¹⁰) as the databases give them."""
    one = 10**10
    rows = [("a", 4, one), ("a", 10, one // 2), ("a", 10, one // 2), ("b", 2, one)]
    rows.append(("b", 30, one // 4))
    per_key, whole = medians(rows)
    assert per_key == {"a": Decimal("7.0"), "b": Decimal("2.0")}
    assert whole == Decimal("4.0")  # 2 (1), 4 (1), 10 (1), 30 (¼): half of 3¼ passed at 4
