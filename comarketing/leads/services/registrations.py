"""Webinar registrations and attendance as lead intake: a registration is a submission of the
person (capacity enforced), attending is a touch of its lead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from comarketing.campaigns.channels import WEBINAR_CHANNEL
from comarketing.core.contacts import InvalidContact, normalize_email
from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, Lead, TouchKind, Touchpoint
from comarketing.leads.services.intake import Submission, record_submission
from comarketing.leads.services.touchpoints import Source, add_touch
from comarketing.leads.signals import touches_changed
from comarketing.webinars.consents import check_share_with, record_consents
from comarketing.webinars.models import Registration, Webinar, WebinarStatus
from comarketing.webinars.services.attendance_csv import AttendanceEntry
from comarketing.webinars.services.notifications import schedule_registration_emails


def _lock(webinar: Webinar) -> None:
    """Take the webinar's write lock before counting seats: a row lock on PostgreSQL, the
    database write lock on SQLite, so two last-seat registrations cannot both succeed."""
    db.session.execute(
        update(Webinar).where(Webinar.id == webinar.id).values(capacity=Webinar.capacity)
    )


def register(
    webinar: Webinar,
    *,
    email: str,
    name: str,
    company: str = "",
    phone: str | None = None,
    utm: dict[str, str | None] | None = None,
    cmclid: str | None = None,
    occurred_at: datetime | None = None,
    consent: bool = False,
    locale: str = "ru",
    trusted: bool = False,
    share_with: Sequence[int] = (),
) -> tuple[Registration, bool]:
    """Register a person: one registration per e-mail (a repeat returns the first, created
    False, and records no consent). Also a conversion of the lead (contract §4) and a
    registration touch; e-mails are queued. ``share_with``: the co-hosts the person agrees to
    share their contact with (any other partner: 422). Raises ``Conflict`` (409) when the
    webinar is full or cancelled."""
    try:
        clean_email = normalize_email(email)
    except InvalidContact as error:
        raise ValidationFailed(
            _("Invalid e-mail: %(error)s", error=error), fields={"email": [str(error)]}
        ) from None
    partner_ids = check_share_with(webinar, share_with)
    if webinar.status is WebinarStatus.CANCELLED:
        raise Conflict(_("The webinar is cancelled."), code="webinar_cancelled")
    _lock(webinar)
    existing = db.session.scalar(
        select(Registration).where(
            Registration.webinar_id == webinar.id, Registration.email == clean_email
        )
    )
    if existing is not None:
        return existing, False
    if webinar.capacity is not None:
        taken = db.session.scalar(
            select(func.count(Registration.id)).where(Registration.webinar_id == webinar.id)
        )
        if (taken or 0) >= webinar.capacity:
            raise Conflict(_("The webinar is full."), code="webinar_full")

    at = occurred_at or utcnow()
    intake = record_submission(
        Submission(
            kind=ConversionKind.REGISTRATION,
            email=clean_email,
            phone=phone,
            name=name,
            company=company,
            utm=utm or {},
            cmclid=cmclid,
            occurred_at=at,
            webinar_id=webinar.id,
            touch_kind=TouchKind.REGISTRATION,
            trusted=trusted,
        )
    )
    source = intake.source
    registration = Registration(
        webinar_id=webinar.id,
        lead_id=intake.lead.id,
        email=clean_email,
        name=name.strip(),
        company=company.strip(),
        phone=intake.lead.phone,
        partner_id=source.partner_id if source else None,
        link_id=source.link_id if source else None,
        click_id=intake.conversion.click_id,
        registered_at=at,
        consent_at=at if consent else None,
    )
    db.session.add(registration)
    db.session.flush()
    if intake.touch is not None:
        intake.touch.registration_id = registration.id
    record_consents(registration, partner_ids, at)
    schedule_registration_emails(registration, webinar, locale)
    return registration, True


@dataclass
class AttendanceReport:
    updated: int = 0
    attended: int = 0
    no_show: int = 0
    unknown: list[str] = field(default_factory=list)  # e-mails with no registration


def record_attendance(webinar: Webinar, entries: list[AttendanceEntry]) -> AttendanceReport:
    """Mark registrants attended or no-show (as webinar platforms export it). Attending is a
    touchpoint of the lead at the webinar's start; marking again changes nothing twice."""
    report = AttendanceReport()
    now = utcnow()
    by_email = {
        r.email: r
        for r in db.session.scalars(
            select(Registration).where(Registration.webinar_id == webinar.id)
        )
    }
    for entry in entries:
        try:
            email = normalize_email(entry.email)
        except InvalidContact:
            email = entry.email.strip().lower()
        registration = by_email.get(email)
        if registration is None:
            report.unknown.append(entry.email)
            continue
        registration.attended = entry.attended
        registration.attended_minutes = entry.minutes if entry.attended else None
        registration.attendance_recorded_at = now
        _sync_attendance_touch(registration, webinar)
        report.updated += 1
        if entry.attended:
            report.attended += 1
        else:
            report.no_show += 1
    db.session.flush()
    touches_changed.send(lead_ids=[r.lead_id for r in by_email.values() if r.lead_id is not None])
    return report


def _sync_attendance_touch(registration: Registration, webinar: Webinar) -> None:
    touch = db.session.scalar(
        select(Touchpoint).where(
            Touchpoint.registration_id == registration.id,
            Touchpoint.kind == TouchKind.ATTENDANCE,
        )
    )
    if registration.attended and touch is None and registration.lead_id is not None:
        lead = db.session.get(Lead, registration.lead_id)
        add_touch(
            lead,
            TouchKind.ATTENDANCE,
            webinar.starts_at,
            Source(
                registration.partner_id,
                webinar_id=webinar.id,
                link_id=registration.link_id,
                channel=WEBINAR_CHANNEL,
            ),
            registration_id=registration.id,
        )
    elif not registration.attended and touch is not None:
        db.session.delete(touch)
