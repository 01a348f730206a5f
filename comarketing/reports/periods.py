"""Report periods, the month of a moment and the time between two moments, in SQL that works
on SQLite and PostgreSQL."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, and_, cast, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from comarketing.core.time import day_start, shift_month

DAY, MONTH = "day", "month"  # the grains of the rollups kept per day and per month


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

    def previous(self, today: date | None = None) -> Period:
        """The period to compare this one with (growth in %), like with like. Only the days
        up to ``today`` count, later ones have no figures yet. A stretch from the 1st of a
        month is compared with the same days of the months before it (1–4 December with 1–4
        November, a whole quarter with the whole quarter before); any other stretch with as
        many days just before it."""
        end = self.end if today is None else max(self.start, min(self.end, today))
        if self.start.day != 1:
            before = self.start - timedelta(days=1)
            return Period(before - (end - self.start), before)
        months = (end.year - self.start.year) * 12 + end.month - self.start.month + 1
        first = date(*shift_month(self.start.year, self.start.month, -months), 1)
        year, month = shift_month(end.year, end.month, -months)
        last = monthrange(year, month)[1]
        whole_month = (end + timedelta(days=1)).day == 1
        return Period(first, date(year, month, last if whole_month else min(end.day, last)))

    def whole_months(self) -> tuple[date, date]:
        """[first, end): the first day of the period's first whole month and the first day
        after its last; first ≥ end when the period holds no whole month."""
        first = self.start if self.start.day == 1 else next_month(self.start)
        after = next_month(self.end)
        end = after if self.end == after - timedelta(days=1) else self.end.replace(day=1)
        return first, end

    def rollup_rows(self, grain: Any, day: Any, *also: Any) -> Any:
        """The rows of a day-and-month rollup (its ``grain`` and ``day`` columns: "month"
        rows on their month's first day, "day" rows) that make up the period: its whole
        months from the month rows, its other days from the day rows. ``also`` (the rollup
        index's leading columns) is repeated in each range, so that each is one index range
        scan, on SQLite too."""
        first, end = self.whole_months()
        if first >= end:  # no whole month
            return and_(*also, grain == DAY, *self.holds(day, is_date=True))
        return or_(
            and_(*also, grain == MONTH, day >= first, day < end),
            and_(*also, grain == DAY, day >= self.start, day < first),
            and_(*also, grain == DAY, day >= end, day <= self.end),
        )

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


def day_of(column: Any, dialect: str) -> Any:
    """The UTC day (a date) of a timestamp column, whatever the session's zone."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def month_start(column: Any, dialect: str) -> Any:
    """The first day of the month of a date column."""
    if dialect == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return func.date(column, "start of month")


def days_held(column: Any, days: Sequence[date]) -> Any:
    """The condition that a timestamp column falls on one of ``days`` (UTC): one range per
    run of consecutive days."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return or_(*(and_(*Period(first, last).holds(column)) for first, last in runs))


# The touch a credit carries, and the key columns of the rollups kept per touch.
TOUCH = ("partner_id", "campaign_id", "webinar_id", "channel", "segment")


def rebuild_months(
    session: Session, table: Any, days: Sequence[date], keys: Sequence[str], sums: Sequence[str]
) -> None:
    """Compute the month rows of a day-and-month rollup (``table``: ``grain``, ``day``,
    ``model``, the columns ``keys`` and ``sums``) again, for the months of ``days``: each the
    sums of its day rows, on the month's first day."""
    months = sorted({day.replace(day=1) for day in days})
    session.execute(delete(table).where(table.grain == MONTH, table.day.in_(months)))
    first = month_start(table.day, session.get_bind().dialect.name)
    by_month = [first, table.model, *(getattr(table, name) for name in keys)]
    in_months = or_(
        *(and_(*Period.month(month).holds(table.day, is_date=True)) for month in months)
    )
    monthly = (
        select(literal(MONTH), *by_month, *(func.sum(getattr(table, name)) for name in sums))
        .where(table.grain == DAY, in_months)
        .group_by(*by_month)
    )
    named = ["grain", "day", "model", *keys, *sums]
    session.execute(insert(table).from_select(named, monthly))
