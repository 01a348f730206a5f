"""Time helpers: everything is stored and compared in UTC."""

from datetime import UTC, date, datetime, time


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
