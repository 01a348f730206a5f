"""Reading times typed into CSV files: ISO 8601 with an offset, or a local wall time."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo


def parse_moment(raw: str, default_zone: str) -> datetime:
    """``2026-12-03T11:00:00+03:00`` as given; ``2026-12-03 11:00`` or ``2026-12-03`` in
    ``default_zone`` (CRMs and spreadsheets export local times without an offset). UTC out.
    Raises ``ValueError`` for anything else."""
    text = raw.strip().replace(" ", "T", 1)
    if len(text) == 10:
        moment = datetime.combine(datetime.fromisoformat(text).date(), time.min)
    else:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(default_zone))
    return moment.astimezone(UTC)
