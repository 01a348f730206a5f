"""Time helpers: everything is stored and compared in UTC."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


def utcnow() -> datetime:
    """The current moment as an aware UTC datetime (use as a callable column default)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def day_start(day: date) -> datetime:
    """00:00 UTC of ``day``: the inclusive lower bound of a report period."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def local_month(moment: datetime, zone: str) -> tuple[int, int]:
    """The (year, month) that ``moment`` falls in on the wall clocks of ``zone``: at 22:30 UTC
    on 31 December it is already January in Moscow."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.year, local.month


def month_bounds(year: int, month: int, zone: str) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in ``zone`` (aware)."""
    tz = ZoneInfo(zone)
    next_year, next_month = shift_month(year, month, 1)
    return datetime(year, month, 1, tzinfo=tz), datetime(next_year, next_month, 1, tzinfo=tz)


def period_problem(
    start: date | None, end: date | None, today: date, max_days: int
) -> LazyString | None:
    """Why a period of UTC days (either end may be open) cannot be shown, or None: it ends
    before it starts, spans more than ``max_days``, or names a day more than ``max_days`` from
    ``today`` (figures are listed day by day, so such a period would be millions of rows)."""
    if start and end and end < start:
        return _l("The period cannot end before it starts.")
    if start and end and (end - start).days + 1 > max_days:
        return _l("A period of at most %(days)s days.", days=max_days)
    window = timedelta(days=max_days)
    if any(day and not today - window <= day <= today + window for day in (start, end)):
        return _l("Choose days within %(days)s days of today.", days=max_days)
    return None
