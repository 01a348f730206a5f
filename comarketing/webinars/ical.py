"""iCalendar (RFC 5545) for joint webinars, and "add to calendar" links. Pure functions.

Events are written in the webinar's own zone with its VTIMEZONE, so calendars show the time
people were invited for; times given and stored are UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//comarketing//joint webinars//RU"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across downloads: the same event updates instead of duplicating
    title: str
    description: str
    starts_at: datetime  # aware, any zone
    ends_at: datetime
    timezone: str  # IANA name, e.g. Europe/Moscow
    url: str | None = None  # the registration page
    location: str | None = None  # the join link
    organizer_email: str = "no-reply@comarketing.example"
    organizer_name: str = "comarketing"
    cancelled: bool = False


def _event(item: CalendarEvent, stamp: datetime) -> Event:
    zone = ZoneInfo(item.timezone)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", item.starts_at.astimezone(zone))
    event.add("dtend", item.ends_at.astimezone(zone))
    event.add("summary", item.title)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.location:
        event.add("location", item.location)
    organizer = vCalAddress(f"mailto:{item.organizer_email}")
    organizer.params["cn"] = vText(item.organizer_name)
    event.add("organizer", organizer)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def calendar_bytes(
    events: Sequence[CalendarEvent], *, stamp: datetime, name: str | None = None
) -> bytes:
    """A VCALENDAR with the events and the VTIMEZONEs they use (covering their years)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for item in events:
        calendar.add_component(_event(item, stamp))
    if events:
        first = min(item.starts_at for item in events).year
        last = max(item.ends_at for item in events).year
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))
    return bytes(calendar.to_ical())


def _compact_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(item: CalendarEvent) -> str:
    query = {
        "action": "TEMPLATE",
        "text": item.title,
        "dates": f"{_compact_utc(item.starts_at)}/{_compact_utc(item.ends_at)}",
        "details": item.description + (f"\n\n{item.url}" if item.url else ""),
        "location": item.location or item.url or "",
        "ctz": item.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(item: CalendarEvent) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": item.title,
        "startdt": item.starts_at.astimezone(UTC).isoformat(),
        "enddt": item.ends_at.astimezone(UTC).isoformat(),
        "body": item.description + (f"\n\n{item.url}" if item.url else ""),
        "location": item.location or item.url or "",
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
