"""From webinar rows to the pure iCalendar module's events (UIDs, URLs, organizer)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app

from comarketing.webinars.ical import CalendarEvent, calendar_bytes
from comarketing.webinars.models import Webinar, WebinarStatus
from comarketing.webinars.services.webinars import registration_url


def calendar_event(webinar: Webinar) -> CalendarEvent:
    """The event of a webinar; its UID is fixed by the webinar's id and the public host, so
    every download and every feed refers to the same event."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "comarketing"
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return CalendarEvent(
        uid=f"webinar-{webinar.id}@{host}",
        title=webinar.title,
        description=webinar.description,
        starts_at=webinar.starts_at,
        ends_at=webinar.ends_at,
        timezone=webinar.timezone,
        url=registration_url(webinar),
        location=webinar.join_url,
        organizer_email=address or "no-reply@comarketing.example",
        organizer_name=name or "comarketing",
        cancelled=webinar.status is WebinarStatus.CANCELLED,
    )


def webinar_ics(webinar: Webinar, *, stamp: datetime) -> bytes:
    return calendar_bytes([calendar_event(webinar)], stamp=stamp)


def feed_ics(webinars: Sequence[Webinar], *, stamp: datetime, name: str) -> bytes:
    return calendar_bytes([calendar_event(w) for w in webinars], stamp=stamp, name=name)
