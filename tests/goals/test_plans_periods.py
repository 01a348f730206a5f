"""The periods of joint business plans (pure): quarters and months with their first day and the
day after their end, local midnights in Moscow, and the share of a period gone by."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from comarketing.goals.plans_periods import (
    InvalidPeriod,
    current_periods,
    local_today,
    parse_period,
)

MOSCOW = "Europe/Moscow"


@pytest.mark.parametrize(
    ("text", "key", "starts_on", "ends_before"),
    [
        ("2026-Q1", "2026-Q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-Q4", "2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-q2", "2026-Q2", date(2026, 4, 1), date(2026, 7, 1)),
        ("2026-12", "2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("2028-02", "2028-02", date(2028, 2, 1), date(2028, 3, 1)),
        ("2026-3", "2026-03", date(2026, 3, 1), date(2026, 4, 1)),
        (" 2026-01 ", "2026-01", date(2026, 1, 1), date(2026, 2, 1)),
        ("2999-12", "2999-12", date(2999, 12, 1), date(3000, 1, 1)),
        ("1970-Q1", "1970-Q1", date(1970, 1, 1), date(1970, 4, 1)),
    ],
)
def test_periods(text, key, starts_on, ends_before):
    period = parse_period(text)
    assert (period.key, period.starts_on, period.ends_before) == (key, starts_on, ends_before)
    assert period.is_quarter == ("Q" in key)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-Q5", "quarter"),
        ("2026-Q0", "quarter"),
        ("2026-Q12", "quarter"),
        ("2026-13", "month"),
        ("2026-00", "month"),
        ("1969-12", "year"),
        ("3000-01", "year"),
        ("26-Q1", "YYYY-Qn"),
        ("2026-12-01", "YYYY-Qn"),
        ("2026-H1", "YYYY-Qn"),
        ("", "YYYY-Qn"),
        ("２０２６-01", "YYYY-Qn"),  # full-width digits are not [0-9]
    ],
)
def test_what_is_not_a_period(app, text, problem):
    with pytest.raises(InvalidPeriod) as refused:
        parse_period(text)
    assert problem in str(refused.value.problem)


def test_a_period_is_bounded_by_local_midnights():
    start, end = parse_period("2026-Q4").bounds(MOSCOW)
    assert start.astimezone(UTC) == datetime(2026, 9, 30, 21, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 12, 31, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "share"),
    [
        (datetime(2026, 9, 30, 20, 59, tzinfo=UTC), Decimal(0)),  # 23:59 MSK, 30 September
        (datetime(2026, 9, 30, 21, 0, tzinfo=UTC), Decimal(0)),
        (datetime(2026, 11, 15, 9, 0, tzinfo=UTC), Decimal("45.5") / 92),  # 45 days 12 hours
        (datetime(2026, 12, 31, 21, 0, tzinfo=UTC), Decimal(1)),
        (datetime(2027, 3, 1, tzinfo=UTC), Decimal(1)),
    ],
)
def test_the_share_gone_by(now, share):
    assert parse_period("2026-Q4").elapsed_share(now, MOSCOW) == share


@pytest.mark.parametrize(
    ("now", "quarter", "month"),
    [
        (datetime(2026, 12, 15, 12, tzinfo=UTC), "2026-Q4", "2026-12"),
        (datetime(2026, 12, 31, 22, 30, tzinfo=UTC), "2027-Q1", "2027-01"),  # New Year in MSK
        (datetime(2027, 3, 31, 21, 30, tzinfo=UTC), "2027-Q2", "2027-04"),
        (datetime(2028, 2, 29, 12, tzinfo=UTC), "2028-Q1", "2028-02"),
    ],
)
def test_the_current_quarter_and_month_are_moscows(now, quarter, month):
    periods = current_periods(local_today(now, MOSCOW))
    assert [period.key for period in periods] == [quarter, month]
