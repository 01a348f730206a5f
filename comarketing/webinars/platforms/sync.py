"""Attendance pulled from the webinar's platform and recorded like an uploaded file.

Everyone the platform saw watching is an attendee with their minutes (visits added up); every
other registrant here is a no-show (the platform's list of who watched is complete once the
webinar has ended). Only registrations whose attendance differs from what is stored are handed
to the recorder, so pulling again changes nothing. People on the platform who did not register
here are reported, not registered: registering them would send confirmation e-mails after the
event and record consents they never gave on our page.

Recording attendance is a lead's touch, a package above this one: ``create_app`` hands the
recorder in (``use_recorder``), as the design asks of a lower package that needs a higher one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.webinars.models import Registration, Webinar, WebinarPlatform, WebinarStatus
from comarketing.webinars.platforms import PlatformAttendance, PlatformError, mts_link, zoom
from comarketing.webinars.services.attendance_csv import AttendanceEntry
from comarketing.webinars.services.webinars import MAX_DURATION_MINUTES

log = logging.getLogger(__name__)

Recorder = Callable[[Webinar, list[AttendanceEntry]], object]
EXTENSION = "webinar_attendance_recorder"
FETCHERS: dict[WebinarPlatform, Callable[[str], PlatformAttendance]] = {
    WebinarPlatform.ZOOM: zoom.fetch,
    WebinarPlatform.MTS_LINK: mts_link.fetch,
}
SYNC_WINDOW = timedelta(days=1)  # the worker pulls webinars that ended this recently


def use_recorder(app: Flask, recorder: Recorder) -> None:
    """Who records attendance (``leads.services.registrations.record_attendance``)."""
    app.extensions[EXTENSION] = recorder


@dataclass
class SyncResult:
    attended: int = 0  # registrants here who watched
    no_shows: int = 0  # registrants here who did not
    changed: int = 0  # registrations whose attendance this pull changed
    unknown: list[str] = field(default_factory=list)  # on the platform, not registered here

    def __str__(self) -> str:
        return _(
            "%(attended)s attended, %(no_shows)s no-shows, %(changed)s changed, "
            "%(unknown)s on the platform but not registered here",
            attended=self.attended,
            no_shows=self.no_shows,
            changed=self.changed,
            unknown=len(self.unknown),
        )


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else (seconds + 30) // 60


def sync_webinar(webinar: Webinar, now: datetime | None = None) -> SyncResult:
    """Pull the webinar's registrants and participants from its platform and record who
    attended and for how many minutes. Raises ``PlatformError`` when the webinar has no
    platform, has not ended, or the platform cannot be read; nothing is written then.
    ``platform_synced_at`` becomes ``now`` (UTC)."""
    moment = now or utcnow()
    if webinar.platform is None or not (webinar.platform_event_id or "").strip():
        raise PlatformError(_("The webinar has no platform and event id to pull from."))
    if webinar.ends_at > moment:
        raise PlatformError(
            _(
                "The webinar has not ended yet; pull its attendance after %(end)s.",
                end=format_datetime(webinar.ends_at, "short"),
            )
        )
    pulled = FETCHERS[webinar.platform](webinar.platform_event_id or "")
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.webinar_id == webinar.id, Registration.email.is_not(None)
        )
    ).all()
    result = SyncResult()
    changes = []
    for registration in registrations:
        email = registration.email or ""
        attended = email in pulled.watched
        minutes = _minutes(pulled.watched[email]) if attended else None
        if attended:
            result.attended += 1
        else:
            result.no_shows += 1
        if registration.attended is attended and registration.attended_minutes == minutes:
            continue
        changes.append(AttendanceEntry(email, attended, minutes))
    known = {registration.email for registration in registrations}
    result.unknown = sorted((pulled.registrants | set(pulled.watched)) - known)
    if changes:
        current_app.extensions[EXTENSION](webinar, changes)
        result.changed = len(changes)
    webinar.platform_synced_at = moment
    db.session.flush()
    return result


def due_webinars(now: datetime) -> list[Webinar]:
    """Webinars on a platform that ended (``WEBINAR_SYNC_DELAY_MINUTES`` ago, so the
    platform's report is ready) within the last day and were not pulled since they ended."""
    delay = timedelta(minutes=int(current_app.config["WEBINAR_SYNC_DELAY_MINUTES"]))
    earliest = now - SYNC_WINDOW - timedelta(minutes=MAX_DURATION_MINUTES)
    candidates = db.session.scalars(
        select(Webinar)
        .where(
            Webinar.platform.is_not(None),
            Webinar.platform_event_id.is_not(None),
            Webinar.status != WebinarStatus.CANCELLED,
            Webinar.starts_at >= earliest,
            Webinar.starts_at <= now,
        )
        .order_by(Webinar.starts_at, Webinar.id)
    ).all()
    return [
        webinar
        for webinar in candidates
        if now - SYNC_WINDOW <= webinar.ends_at <= now - delay
        and (webinar.platform_synced_at is None or webinar.platform_synced_at < webinar.ends_at)
    ]


def periodic_sync() -> str:
    """The worker's job (every ``WEBINAR_SYNC_INTERVAL`` seconds): pull each due webinar, one
    transaction each; one that fails is tried again at the next run while still due."""
    now = utcnow()
    synced = failed = 0
    for webinar_id in [webinar.id for webinar in due_webinars(now)]:
        webinar = db.session.get(Webinar, webinar_id)
        if webinar is None:
            continue
        try:
            sync_webinar(webinar, now)
            db.session.commit()
            synced += 1
        except PlatformError as error:
            db.session.rollback()
            failed += 1
            log.warning("webinar %s: attendance not pulled: %s", webinar_id, error)
    return f"{synced} webinar(s) pulled" + (f", {failed} failed" if failed else "")
