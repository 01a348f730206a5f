"""A target's progress from the rows (contract §9 and the issue's figures): 100 leads a month
owned by Bitrix24 partners in the baseline, then 105, 115, 130 — a ×2.5 / 18-month target
plans 105.22, 110.72, 116.50 and is on track; with 110 in the third month it is behind; the
segments' actuals add up to the program's. Months are Moscow's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from comarketing.extensions import db
from comarketing.goals.models import KpiMetric
from comarketing.goals.progress import target_progress
from comarketing.goals.services import create_target
from comarketing.goals.trajectory import Status
from tests.goals.builders import add_leads, add_monthly_leads

NOW = datetime(2026, 7, 15, 9, tzinfo=UTC)  # July is under way: April, May, June are complete
BASELINE = {(2026, 1): 100, (2026, 2): 100, (2026, 3): 100}


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def bitrix(make):
    return [make.partner(segment="bitrix24"), make.partner(segment="bitrix24")]


@pytest.fixture
def amo(make):
    return make.partner(segment="amocrm")


def leads_target(segment: str | None, multiple: str = "2.5", horizon: int = 18):
    target = create_target(
        metric="leads",
        segment=segment,
        baseline_from=date(2026, 1, 1),
        baseline_to=date(2026, 3, 31),
        multiple=Decimal(multiple),
        horizon_months=horizon,
        starts_on=date(2026, 4, 1),
        name="Лиды ×2,5",
    )
    db.session.commit()
    return target


def bitrix_history(bitrix, third_month: int) -> None:
    """100 a month in the baseline (half each partner), then 105, 115 and ``third_month``;
    leads outside the months counted, and nobody's leads, that must not count."""
    one, two = bitrix
    add_monthly_leads(one.id, dict.fromkeys(BASELINE, 60))
    add_monthly_leads(two.id, dict.fromkeys(BASELINE, 40))
    add_monthly_leads(one.id, {(2026, 4): 105, (2026, 5): 115, (2026, 6): third_month})
    add_monthly_leads(two.id, {(2025, 12): 70, (2026, 7): 50})  # before and after
    add_monthly_leads(None, {(2026, 4): 33, (2026, 5): 33})  # no owner: no partner's lead


def figures(progress):
    return [(m.month, m.planned, m.actual, m.gap) for m in progress.months]


def test_the_issue_target_plans_from_the_baseline_and_is_on_track(now, bitrix):
    bitrix_history(bitrix, third_month=130)
    progress = target_progress(leads_target("bitrix24"))
    assert progress.baseline == Decimal(100)
    # 100 × 2.5^(1/18) = 105.2223…, 100 × 2.5^(2/18) = 110.7173…, 100 × 2.5^(3/18) = 116.4993…
    assert figures(progress) == [
        (date(2026, 4, 1), Decimal("105.22"), 105, Decimal("-0.22")),
        (date(2026, 5, 1), Decimal("110.72"), 115, Decimal("4.28")),
        (date(2026, 6, 1), Decimal("116.50"), 130, Decimal("13.50")),
    ]
    assert progress.status is Status.ON_TRACK
    # 100 → 130 in three months: ×1.3^(1/3) a month for 15 more months: 130 × 1.3^5 = 482.6809
    assert progress.forecast is not None
    assert progress.forecast.quantize(Decimal("0.01")) == Decimal("482.68")
    assert progress.month_now == 4  # July is month 4 of 18


def test_a_third_month_below_its_plan_is_behind(now, bitrix):
    bitrix_history(bitrix, third_month=110)
    progress = target_progress(leads_target("bitrix24"))
    assert progress.last is not None
    assert (progress.last.planned, progress.last.actual) == (Decimal("116.50"), 110)
    assert progress.status is Status.BEHIND
    # 100 → 110 in three months: 110 × 1.1^5 = 177.1561
    assert progress.forecast is not None
    assert progress.forecast.quantize(Decimal("0.01")) == Decimal("177.16")


def test_the_segments_add_up_to_the_program(now, bitrix, amo):
    bitrix_history(bitrix, third_month=130)
    add_monthly_leads(amo.id, {**dict.fromkeys(BASELINE, 40), (2026, 4): 44, (2026, 5): 0,
                               (2026, 6): 61})  # fmt: skip
    by_segment = {
        segment: target_progress(leads_target(segment)) for segment in ("bitrix24", "amocrm", None)
    }
    actuals = {segment: [m.actual for m in p.months] for segment, p in by_segment.items()}
    assert actuals == {"bitrix24": [105, 115, 130], "amocrm": [44, 0, 61], None: [149, 115, 191]}
    assert by_segment[None].baseline == Decimal(140)
    assert by_segment["amocrm"].baseline == Decimal(40)
    # The program's plan of month 3: 140 × 2.5^(3/18) = 163.099… → 163.10; 191 reaches it.
    assert by_segment[None].last.planned == Decimal("163.10")
    assert by_segment[None].status is Status.ON_TRACK
    # amoCRM's growth runs from the baseline's 40 to 61 in three months (its empty May
    # between does not matter): 61 × (61/40)^(15/3) = 61 × 1.525^5 = 503.1287
    assert by_segment["amocrm"].forecast is not None
    assert by_segment["amocrm"].forecast.quantize(Decimal("0.01")) == Decimal("503.13")


def test_months_are_moscow_months(now, bitrix):
    """21:30 UTC on 31 March is 00:30 on 1 April in Moscow: an April lead; 20:30 UTC is still
    March (23:30)."""
    one, _two = bitrix
    add_leads(one.id, datetime(2026, 3, 31, 20, 30, tzinfo=UTC), 2)
    add_leads(one.id, datetime(2026, 3, 31, 21, 30, tzinfo=UTC), 3)
    add_leads(one.id, datetime(2026, 6, 30, 21, 0, tzinfo=UTC), 7)  # 1 July, 00:00: July's
    target = create_target(
        metric="leads", segment="bitrix24", baseline_from=date(2026, 3, 1),
        baseline_to=date(2026, 3, 31), multiple=Decimal(2), horizon_months=6,
        starts_on=date(2026, 4, 1),
    )  # fmt: skip
    progress = target_progress(target)
    assert progress.baseline == 2
    assert [m.actual for m in progress.months] == [3, 0, 0]


def test_before_its_first_month_ends_a_target_has_not_started(now, bitrix):
    bitrix_history(bitrix, third_month=130)
    target = create_target(
        metric="leads", segment="bitrix24", baseline_from=date(2026, 1, 1),
        baseline_to=date(2026, 6, 30), multiple=Decimal(7), horizon_months=36,
        starts_on=date(2026, 7, 1),
    )  # fmt: skip
    progress = target_progress(target)
    assert progress.months == []
    assert (progress.status, progress.forecast, progress.month_now) == (
        Status.NOT_STARTED, None, 1,
    )  # fmt: skip
    # (100 × 3 + 105 + 115 + 130) / 6
    assert progress.baseline.quantize(Decimal("0.01")) == Decimal("108.33")


def test_the_baseline_counts_whole_months_only(now, bitrix):
    bitrix_history(bitrix, third_month=130)
    target = create_target(
        metric=KpiMetric.LEADS, segment="bitrix24", baseline_from=date(2026, 1, 2),
        baseline_to=date(2026, 4, 30), multiple=Decimal("2.5"), horizon_months=18,
        starts_on=date(2026, 5, 1),
    )  # fmt: skip
    # January is not whole (from the 2nd): February, March, April — (100 + 100 + 105) / 3
    assert target_progress(target).baseline.quantize(Decimal("0.01")) == Decimal("101.67")
