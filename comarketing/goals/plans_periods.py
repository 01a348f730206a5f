"""The period of a joint business plan: a quarter (``2026-Q4``) or a month (``2026-12``), its
first day and the day after its end, and how much of it has gone by. Pure: no app, no database.

Days are the wall-clock days of the app's time zone (``BABEL_DEFAULT_TIMEZONE``, Moscow): a
period starts and ends at local midnight, like the portal's months and the commission
statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from comarketing.core.time import shift_month

# A year the API's dates hold (1970–2999), then Qn or a two-digit month. The OpenAPI document
# shows it; ``parse_period`` says which part is wrong.
PERIOD_PATTERN = r"^(19[7-9][0-9]|2[0-9]{3})-(Q[1-4]|0[1-9]|1[0-2])$"
_SHAPE = re.compile(r"^(?P<year>[0-9]{4})-(?:[Qq](?P<quarter>[0-9]+)|(?P<month>[0-9]{1,2}))$")
FIRST_YEAR, LAST_YEAR = 1970, 2999


class InvalidPeriod(ValueError):
    """The text is not a period; ``problem`` says what to fix (translated when shown)."""

    def __init__(self, problem: LazyString) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class PlanPeriod:
    """``key`` as stored and shown (``2026-Q4``, ``2026-12``); ``starts_on`` its first day,
    ``ends_before`` the day after its last."""

    key: str
    starts_on: date
    ends_before: date

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.key

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """The first instant of the period and of the day after it, in ``zone`` (aware)."""
        tz = ZoneInfo(zone)
        return (
            datetime.combine(self.starts_on, time.min, tzinfo=tz),
            datetime.combine(self.ends_before, time.min, tzinfo=tz),
        )

    def elapsed_share(self, now: datetime, zone: str) -> Decimal:
        """How much of the period lies before ``now``: 0 before it starts, 1 once it ended,
        else the share of its seconds (exact enough to compare with a goal's share)."""
        start, end = self.bounds(zone)
        if now <= start:
            return Decimal(0)
        if now >= end:
            return Decimal(1)
        return Decimal((now - start).total_seconds()) / Decimal((end - start).total_seconds())


def month_period(year: int, month: int) -> PlanPeriod:
    next_year, next_month = shift_month(year, month, 1)
    return PlanPeriod(
        f"{year:04d}-{month:02d}", date(year, month, 1), date(next_year, next_month, 1)
    )


def quarter_period(year: int, quarter: int) -> PlanPeriod:
    first_month = 3 * (quarter - 1) + 1
    next_year, next_month = shift_month(year, first_month, 3)
    return PlanPeriod(
        f"{year:04d}-Q{quarter}", date(year, first_month, 1), date(next_year, next_month, 1)
    )


def parse_period(text: str) -> PlanPeriod:
    """``YYYY-Qn`` (quarter 1–4; ``q`` is read as ``Q``) or ``YYYY-MM`` (month 01–12; a
    one-digit month is read too) as a period; ``InvalidPeriod`` otherwise."""
    found = _SHAPE.match(text.strip())
    if found is None:
        raise InvalidPeriod(_l("Write the period as YYYY-Qn (a quarter) or YYYY-MM (a month)."))
    year = int(found["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidPeriod(
            _l("The year must be from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    if found["quarter"] is not None:
        quarter = int(found["quarter"])
        if not 1 <= quarter <= 4:
            raise InvalidPeriod(_l("The quarter must be from 1 to 4."))
        return quarter_period(year, quarter)
    month = int(found["month"])
    if not 1 <= month <= 12:
        raise InvalidPeriod(_l("The month must be from 01 to 12."))
    return month_period(year, month)


def current_periods(today: date) -> tuple[PlanPeriod, PlanPeriod]:
    """The quarter and the month that hold ``today`` (a local day)."""
    return (
        quarter_period(today.year, (today.month - 1) // 3 + 1),
        month_period(today.year, today.month),
    )


def local_today(now: datetime, zone: str) -> date:
    """The day it is in ``zone`` at ``now``: at 22:30 UTC on 31 December, 1 January in Moscow."""
    return now.astimezone(ZoneInfo(zone)).date()
