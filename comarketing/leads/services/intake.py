"""One submission of a person — a form, an API call, a CSV row, a webinar registration — made
into a lead (deduplicated), a conversion, touchpoints and an ownership decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from comarketing.campaigns.channels import WEBINAR_CHANNEL
from comarketing.core.errors import ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, ConversionKind, Lead, TouchKind, Touchpoint
from comarketing.leads.services.ownership import decide_first_owner, partner_converted
from comarketing.leads.services.persons import find_or_create_person, normalized_contacts
from comarketing.leads.services.touchpoints import (
    Source,
    add_touch,
    attach_waiting_touches,
    click_of,
    link_visitor,
    source_of_link,
    source_of_utm,
)
from comarketing.leads.signals import NewLead, leads_created, touches_changed
from comarketing.links.floods import is_flood
from comarketing.links.models import TrackedLink

FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of landing pages drift a little
UTM_FIELDS = ("source", "medium", "campaign", "content", "term")


def take_utm(data: dict[str, Any]) -> dict[str, str | None]:
    """Take the ``utm_source`` … ``utm_term`` fields out of an input (an API body) as a
    submission's ``utm`` (keys ``source`` … ``term``; None where absent)."""
    return {name: data.pop(f"utm_{name}", None) for name in UTM_FIELDS}


@dataclass
class Submission:
    kind: ConversionKind
    email: str | None = None
    phone: str | None = None
    name: str = ""
    company: str = ""
    utm: dict[str, str | None] = field(default_factory=dict)  # keys: source, medium, …
    cmclid: str | None = None
    occurred_at: datetime | None = None  # UTC; None: now
    webinar_id: int | None = None  # the webinar registered for, if any
    touch_kind: TouchKind | None = None  # a touch this submission itself makes
    # Staff entered it (a marketer's token, a CSV import): it may correct a known person's
    # stored name, company and missing contact. A public one (a registration page, a landing
    # page's intake token, a partner's token) never does; its values stay on its conversion.
    trusted: bool = False
    # What brought it, when the caller resolved it itself (a call: its tracking number), and
    # whether that is evidence of the partner's credit (a call to the partner's own number).
    source: Source | None = None
    verified: bool = False


@dataclass
class IntakeResult:
    lead: Lead
    created: bool
    conversion: Conversion
    source: Source | None
    touch: Touchpoint | None


def record_submission(submission: Submission) -> IntakeResult:
    """Record a submission: the person (new or existing), its conversion, the touches it
    reveals (the clicked link and the visitor's other clicks, or its UTM values), and who
    owns the lead. Times in UTC."""
    email, phone = normalized_contacts(submission.email, submission.phone)
    now = utcnow()
    at = submission.occurred_at or now
    if at > now + FUTURE_TOLERANCE:
        raise ValidationFailed(
            _("The time of the submission is in the future."),
            fields={"occurred_at": [_("Must not be in the future.")]},
        )
    lead, created = find_or_create_person(
        email, phone, submission.name, submission.company, at, update_known=submission.trusted
    )

    click = click_of(submission.cmclid)
    source: Source | None = submission.source
    if source is None and click is not None:
        link = db.session.get(TrackedLink, click.link_id)
        source = source_of_link(link) if link else None
    if source is None:
        source = source_of_utm(submission.utm.get("source"), submission.utm.get("campaign"))
    if submission.webinar_id is not None and source is not None and source.webinar_id is None:
        source = Source(
            source.partner_id, webinar_id=submission.webinar_id, channel=WEBINAR_CHANNEL
        )

    conversion = Conversion(
        lead_id=lead.id,
        kind=submission.kind,
        occurred_at=at,
        name=submission.name.strip()[:200],
        company=submission.company.strip()[:200],
        cmclid=submission.cmclid[:64] if submission.cmclid else None,
        click_id=click.id if click is not None else None,
        partner_id=source.partner_id if source else None,
        campaign_id=source.campaign_id if source else None,
        webinar_id=submission.webinar_id or (source.webinar_id if source else None),
        **{f"utm_{name}": (submission.utm.get(name) or None) for name in UTM_FIELDS},
    )
    db.session.add(conversion)
    db.session.flush()

    if click is not None and not click.is_bot:
        link_visitor(lead, click.visitor_id)
    touch = None
    touch_kind = submission.touch_kind
    if touch_kind is None and click is None and source is not None:
        touch_kind = TouchKind.UTM
    if touch_kind is not None:
        touch = add_touch(
            lead,
            touch_kind,
            at,
            source or Source(webinar_id=submission.webinar_id, channel=WEBINAR_CHANNEL),
        )
    attach_waiting_touches(lead)
    db.session.flush()

    if created:
        decide_first_owner(lead, at)
        leads_created.send(leads=[NewLead(lead.id, conversion.id)])
    elif source is not None and source.partner_id is not None:
        # Only a click on the partner's own tracked link that came back with the submission
        # is evidence; a bare utm_source is something anyone can type (contract §7).
        verified = submission.verified or (
            click is not None and not click.is_bot and not is_flood(click)
        )
        partner_converted(lead, source.partner_id, at, conversion, verified=verified)
    db.session.flush()
    touches_changed.send(lead_ids=[lead.id])
    return IntakeResult(lead, created, conversion, source, touch)
