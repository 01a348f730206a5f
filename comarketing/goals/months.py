"""Calendar months as a target counts them, each named by its first day (pure)."""

from __future__ import annotations

from datetime import date, timedelta

from comarketing.core.time import shift_month


def add_months(first: date, count: int) -> date:
    """The first day of the month ``count`` months after ``first``'s (before, if negative)."""
    year, month = shift_month(first.year, first.month, count)
    return date(year, month, 1)


def months_from(first: date, later: date) -> int:
    """How many months ``later``'s month is after ``first``'s (negative if before)."""
    return (later.year - first.year) * 12 + later.month - first.month


def whole_months(start: date, end: date) -> list[date]:
    """The months that lie wholly within the days ``start``…``end`` (both included)."""
    first = start if start.day == 1 else add_months(start, 1)
    last = add_months(end, 0) if (end + timedelta(days=1)).day == 1 else add_months(end, -1)
    return [add_months(first, index) for index in range(months_from(first, last) + 1)]
