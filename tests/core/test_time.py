"""Months on the display time zone's clocks, at the instants where UTC and Moscow disagree."""

from datetime import UTC, datetime

import pytest

from comarketing.core.time import local_month, month_bounds, shift_month

MOSCOW = "Europe/Moscow"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2027, 12, 31, 20, 59, tzinfo=UTC), (2027, 12)),
        (datetime(2027, 12, 31, 21, 0, tzinfo=UTC), (2028, 1)),  # midnight in Moscow
        (datetime(2027, 2, 28, 23, 30, tzinfo=UTC), (2027, 3)),
        (datetime(2028, 2, 29, 12, 0, tzinfo=UTC), (2028, 2)),
    ],
)
def test_local_month_is_moscows(moment, expected):
    assert local_month(moment, MOSCOW) == expected


def test_month_bounds_hold_every_instant_of_the_month():
    start, end = month_bounds(2028, 2, MOSCOW)
    assert start == datetime(2028, 1, 31, 21, 0, tzinfo=UTC)
    assert end == datetime(2028, 2, 29, 21, 0, tzinfo=UTC)
    assert shift_month(2027, 12, 1) == (2028, 1)
    assert shift_month(2028, 1, -1) == (2027, 12)
