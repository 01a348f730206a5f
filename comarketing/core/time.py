"""Time helpers: everything is stored and compared in UTC."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


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
