"""Rendering the webinar e-mails when the outbox sends them, in the registrant's language.
Every one carries the link that withdraws the registrant's consents to share with co-hosts;
a co-host's follow-up goes only while the consent to that co-host stands."""

from __future__ import annotations

from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from comarketing.core.outbox import OutboxMessage
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.webinars.calendar_data import calendar_event, webinar_ics
from comarketing.webinars.consents import consent_stands, withdrawal_url
from comarketing.webinars.ical import google_calendar_url, outlook_calendar_url
from comarketing.webinars.models import Registration, Webinar, WebinarStatus
from comarketing.webinars.services.webinars import registration_url


def _subject(kind: str, webinar: Webinar, partner: Partner | None) -> str:
    if kind == "cohost_follow_up" and partner is not None:
        return _(
            "%(partner)s: after the webinar %(title)s", partner=partner.name, title=webinar.title
        )
    subjects = {
        "confirmation": _("You are registered: %(title)s", title=webinar.title),
        "reminder_24h": _("Tomorrow: %(title)s", title=webinar.title),
        "reminder_1h": _("In one hour: %(title)s", title=webinar.title),
        "follow_up": _("Thank you for your interest: %(title)s", title=webinar.title),
    }
    return subjects[kind]


def render(message: OutboxMessage) -> EmailMessage | None:
    """The e-mail for an outbox message, or None when it no longer applies (the person was
    erased, the webinar cancelled)."""
    registration = db.session.get(Registration, message.payload["registration_id"])
    webinar = db.session.get(Webinar, message.payload["webinar_id"])
    if registration is None or webinar is None or registration.email is None:
        return None
    if webinar.status is WebinarStatus.CANCELLED:
        return None
    kind = message.topic.removeprefix("webinar.")
    partner = None
    if kind == "cohost_follow_up":
        partner = db.session.get(Partner, message.payload["partner_id"])
        if partner is None or not consent_stands(registration.id, partner.id):
            return None
    event = calendar_event(webinar)
    with force_locale(message.payload.get("locale") or "ru"):
        text = render_template(
            f"emails/webinar_{kind}.txt",
            registration=registration,
            webinar=webinar,
            page_url=registration_url(webinar),
            google_url=google_calendar_url(event),
            outlook_url=outlook_calendar_url(event),
            consent_url=withdrawal_url(registration),
            partner=partner,
            audience=message.payload.get("audience"),
            link_url=message.payload.get("link_url"),
        )
        email = EmailMessage()
        email["To"] = registration.email
        email["Subject"] = _subject(kind, webinar, partner)
        email.set_content(text)
    if kind == "confirmation":
        email.add_attachment(
            webinar_ics(webinar, stamp=utcnow()),
            maintype="text",
            subtype="calendar",
            filename="webinar.ics",
            params={"method": "PUBLISH"},
        )
    return email
