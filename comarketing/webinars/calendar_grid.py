"""The month grid of the calendar page: weeks of days with the webinars of each day (pure)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass
class Day:
    day: date
    in_month: bool
    items: list[object] = field(default_factory=list)


def month_grid(
    year: int, month: int, events: Sequence[tuple[datetime, object]], zone: str
) -> list[list[Day]]:
    """Weeks (Monday first) covering the month; each event lands on its local day in
    ``zone``. ``events`` are (aware start, item) pairs."""
    tz = ZoneInfo(zone)
    by_day: dict[date, list[object]] = {}
    for starts_at, item in sorted(events, key=lambda pair: pair[0]):
        by_day.setdefault(starts_at.astimezone(tz).date(), []).append(item)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]
