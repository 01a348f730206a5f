"""The other metrics of contract §9, month by month (Moscow months), by hand: customers are
the owned leads' first payments, revenue the payments of owned leads with refunds counted,
active partners those owning a lead created in the 90 days up to the month's end."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from comarketing.goals.progress import target_progress
from comarketing.goals.services import create_target
from tests.goals.builders import add_leads, pay

NOW = datetime(2026, 7, 15, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def progress_of(metric: str, segment: str | None):
    target = create_target(
        metric=metric, segment=segment, baseline_from=date(2026, 1, 1),
        baseline_to=date(2026, 3, 31), multiple=Decimal(2), horizon_months=12,
        starts_on=date(2026, 4, 1),
    )  # fmt: skip
    progress = target_progress(target)
    return progress.baseline, [m.actual for m in progress.months]


def utc(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_customers_are_first_payments_of_the_segments_leads(make):
    bitrix, amo = make.partner(segment="bitrix24"), make.partner(segment="amocrm")
    leads = add_leads(bitrix.id, utc(2025, 11, 1), 20)
    for lead, paid in zip(leads, [(2026, 1)] * 2 + [(2026, 2)] * 4 + [(2026, 3)] * 3
                          + [(2026, 4)] * 5 + [(2026, 6)] * 1, strict=False):  # fmt: skip
        pay(lead, "1000.00", utc(*paid, 15))
    pay(leads[0], "500.00", utc(2026, 4, 20), first=False)  # a second payment: no new customer
    (amo_lead,) = add_leads(amo.id, utc(2026, 1, 5), 1)
    pay(amo_lead, "700.00", utc(2026, 4, 3))
    (nobodys,) = add_leads(None, utc(2026, 1, 5), 1)
    pay(nobodys, "900.00", utc(2026, 5, 3))
    # 30 April, 22:00 UTC is 1 May in Moscow: a May customer.
    pay(leads[15], "1000.00", datetime(2026, 4, 30, 22, tzinfo=UTC))
    assert progress_of("customers", "bitrix24") == (Decimal(3), [5, 1, 1])  # (2 + 4 + 3) / 3
    assert progress_of("customers", "amocrm") == (Decimal(0), [1, 0, 0])
    assert progress_of("customers", None) == (Decimal(3), [6, 1, 1])  # nobody's: not counted


def test_revenue_counts_refunds_and_kopecks(make):
    bitrix, amo = make.partner(segment="bitrix24"), make.partner(segment="amocrm")
    first, second = add_leads(bitrix.id, utc(2025, 12, 1), 2)
    (amo_lead,) = add_leads(amo.id, utc(2025, 12, 1), 1)
    pay(first, "10000.00", utc(2026, 1, 10))
    pay(second, "20000.10", utc(2026, 2, 10))
    pay(first, "0.20", utc(2026, 3, 10), first=False)
    pay(first, "10000.00", utc(2026, 4, 10), first=False)
    pay(second, "2500.50", utc(2026, 4, 11), first=False)
    pay(second, "-1000.00", utc(2026, 4, 12), first=False)  # a refund
    pay(first, "-3000.00", utc(2026, 5, 12), first=False)  # a month of refunds only
    pay(amo_lead, "7777.77", utc(2026, 4, 1))
    baseline, actuals = progress_of("revenue", "bitrix24")
    assert baseline == Decimal("30000.30") / 3  # 10,000.10 a month
    assert actuals == [Decimal("11500.50"), Decimal("-3000.00"), Decimal("0.00")]
    assert progress_of("revenue", None)[1] == [
        Decimal("19278.27"), Decimal("-3000.00"), Decimal("0.00")
    ]  # fmt: skip


def test_active_partners_owned_a_lead_in_the_90_days_up_to_the_months_end(make):
    """The window of April ends on 1 May, 00:00 in Moscow and starts 90 days earlier, on 31
    January: p1's lead of 31 January counts, p2's of the 30th does not."""
    p1, p2, p3 = (make.partner(segment="bitrix24") for _ in range(3))
    amo = make.partner(segment="amocrm")
    add_leads(p1.id, utc(2026, 1, 31, 7), 3)  # 10:00 in Moscow; three leads, one partner
    add_leads(p2.id, utc(2026, 1, 30, 7), 1)
    add_leads(p3.id, utc(2026, 6, 15), 1)
    add_leads(amo.id, utc(2026, 4, 10), 1)
    add_leads(None, utc(2026, 5, 10), 4)
    # Jan, Feb, Mar: p1 and p2 → baseline 2; Apr: p1; May: nobody; Jun: p3.
    assert progress_of("active_partners", "bitrix24") == (Decimal(2), [1, 0, 1])
    # amoCRM's lead of 10 April is in the windows of April, May (from 3 March) and June
    # (from 2 April).
    assert progress_of("active_partners", None) == (Decimal(2), [2, 1, 2])
