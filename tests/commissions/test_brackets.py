"""Brackets on a monthly total (contract §11) as properties: the rate never falls as the total
grows, the commission is the bracket's rate on the whole total, and the boundary belongs to
the upper bracket."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from comarketing.commissions.brackets import bracket_for, month_commission, parse_brackets

TELEPHONY = parse_brackets([{"from": "100000.00", "rate": "0.15"}, {"from": "0", "rate": "0.10"}])
totals = st.decimals(min_value=-1_000_000, max_value=10_000_000, places=2)


@given(a=totals, b=totals)
def test_a_larger_total_never_earns_a_lower_rate(a, b):
    low, high = sorted((a, b))
    assert bracket_for(TELEPHONY, low).rate <= bracket_for(TELEPHONY, high).rate


@given(total=totals)
def test_the_rate_applies_to_the_whole_total(total):
    bracket, earned = month_commission(TELEPHONY, total)
    assert abs(earned - total * bracket.rate) <= Decimal("0.005")  # to the kopeck
    assert earned == earned.quantize(Decimal("0.01"))


def test_the_figures_of_the_issue():
    assert month_commission(TELEPHONY, Decimal("120000.00"))[1] == Decimal("18000.00")
    assert month_commission(TELEPHONY, Decimal("100000.00"))[1] == Decimal("15000.00")
    assert month_commission(TELEPHONY, Decimal("99999.99"))[1] == Decimal("10000.00")
