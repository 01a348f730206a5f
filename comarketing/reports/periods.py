"""Report periods and the month of a moment, in SQL that works on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func

from comarketing.core.time import day_start


@dataclass(frozen=True)
class Period:
    """[start, end], whole UTC days, both included."""

    start: date
    end: date

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


def month_of(column: Any, dialect: str, *, is_date: bool = False) -> Any:
    """``YYYY-MM`` of a timestamp (its UTC month, whatever the session's zone) or a date."""
    if dialect == "postgresql":
        return func.to_char(column if is_date else func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)
