"""Derived figures (CPL, ROI, growth) come from the unrounded sums and are rounded once, when
shown (design rule 5); totals show the sum of the rounded rows (contract §6)."""

from decimal import Decimal

from comarketing.reports.pages import kpis
from comarketing.reports.roi import Figures, RoiRow

THIRD = Decimal(1) / 3


def row(key, **exact):
    return RoiRow.of(key, str(key), Figures(**exact))


def test_a_row_shows_rounded_figures_and_derives_from_the_unrounded():
    shown = row(1, leads=2 * THIRD, spend_vendor=Decimal("20000.00"))
    assert shown.leads == Decimal("0.6667")
    assert shown.cpl == Decimal("30000.00")  # not 20,000.00 / 0.6667 = 29,998.50
    # A third of a payment of 100.01 is 33.3366…, shown 33.34: ROI (33.3366… − 10) / 10.
    paid = row(2, revenue=Decimal("100.01") * THIRD, spend_vendor=Decimal("10.00"))
    assert paid.revenue == Decimal("33.34")
    assert paid.roi == Decimal("2.3337")  # not (33.34 − 10) / 10 = 2.3340


def test_nothing_derived_where_the_row_shows_no_lead_or_no_spend():
    tiny = row(1, leads=Decimal("0.00004"), spend_vendor=Decimal("0.004"))
    assert (tiny.leads, tiny.spend_vendor) == (0, 0)
    assert (tiny.cpl, tiny.roi) == (None, None)
    assert (tiny.unrounded("cpl"), tiny.unrounded("roi")) == (None, None)


def test_totals_sum_the_rounded_rows_and_derive_from_the_unrounded_sums():
    rows = [row(key, leads=THIRD, spend_vendor=Decimal("10000.00")) for key in (1, 2, 3)]
    totals = RoiRow.total(rows, "Total")
    assert totals.leads == sum(r.leads for r in rows) == Decimal("0.9999")
    assert totals.spend_vendor == Decimal("30000.00")
    assert totals.cpl == Decimal("30000.00")  # not 30,000.00 / 0.9999 = 30,003.00
    assert totals.unrounded("leads") == 3 * THIRD


def test_growth_comes_from_the_unrounded_figures():
    spend = Decimal("20000.00")
    now = RoiRow.total([row(1, leads=2 * THIRD, spend_vendor=spend)], "")
    before = RoiRow.total([row(1, leads=THIRD, spend_vendor=spend)], "")
    tiles = {tile.name: tile for tile in kpis(now, before)}
    assert (tiles["leads"].value, tiles["cpl"].value) == (Decimal("0.6667"), Decimal("30000.00"))
    # From the shown figures: 0.6667 / 0.3333 − 1 = +100.03 %, 30,000.00 / 60,006.00 − 1 =
    # −49.995 %.
    micro = Decimal("0.000001")
    assert tiles["leads"].growth.quantize(micro) == 1
    assert tiles["cpl"].growth.quantize(micro) == Decimal("-0.5")
