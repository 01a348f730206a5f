"""Formatting helpers for templates that know nothing of the domains."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import get_locale


def local_time(moment: datetime, zone: str, pattern: str = "d MMMM y, HH:mm") -> str:
    """``moment`` shown as the wall-clock time of ``zone`` (a webinar's own zone), in the
    user's language: «15 декабря 2026, 11:00»."""
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(zone), locale=str(get_locale()))
