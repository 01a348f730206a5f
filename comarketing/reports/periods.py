"""Report periods, the month of a moment and the time between two moments, in SQL that works
on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func

from comarketing.core.time import day_start


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[start, end], whole UTC days, both included."""

    start: date
    end: date

    @classmethod
    def month(cls, first: date) -> Period:
        """The whole month that starts on ``first``."""
        return cls(first, next_month(first) - timedelta(days=1))

    @property
    def since(self) -> datetime:
        return day_start(self.start)

    @property
    def until(self) -> datetime:  # exclusive
        return day_start(self.end) + timedelta(days=1)

    def previous(self) -> Period:
        """The period of the same length just before this one (for growth in %)."""
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - length, end)

    def holds(self, moment: Any, *, is_date: bool = False) -> tuple[Any, Any]:
        """The conditions that a timestamp column (or a date column, ``is_date``) falls in
        the period."""
        if is_date:
            return moment >= self.start, moment <= self.end
        return moment >= self.since, moment < self.until


def month_of(column: Any, dialect: str, *, is_date: bool = False) -> Any:
    """``YYYY-MM`` of a timestamp (its UTC month, whatever the session's zone) or a date."""
    if dialect == "postgresql":
        return func.to_char(column if is_date else func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)
