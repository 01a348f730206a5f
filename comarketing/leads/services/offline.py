"""Offline touches a partner reports (a conference chat, a meeting, a call): they wait for the
person's e-mail and never create a lead themselves."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.campaigns.models import Campaign
from comarketing.core.contacts import InvalidContact, normalize_email
from comarketing.core.errors import Problems
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Lead, TouchKind, Touchpoint
from comarketing.leads.services.touchpoints import Source, add_touch
from comarketing.leads.signals import touches_changed
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar


def record_offline_touch(
    *,
    email: str,
    occurred_at: datetime,
    partner_id: int,
    campaign_id: int | None = None,
    webinar_id: int | None = None,
    kind: str = "event",
) -> Touchpoint:
    """Record an offline touch (UTC). It joins the lead with this e-mail at once, or waits
    until the person converts; ``kind`` (event, meeting, call …) is its channel."""
    problems = Problems()
    clean = None
    try:
        clean = normalize_email(email)
    except InvalidContact as error:
        problems.add("email", str(error))
    if occurred_at > utcnow():
        problems.add("occurred_at", _("Must not be in the future."))
    if db.session.get(Partner, partner_id) is None:
        problems.add("partner_id", _("Unknown partner."))
    if campaign_id is not None and webinar_id is not None:
        problems.add("campaign_id", _("Give a campaign or a webinar, not both and not neither."))
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
        problems.add("campaign_id", _("No such campaign."))
    if webinar_id is not None and db.session.get(Webinar, webinar_id) is None:
        problems.add("webinar_id", _("No such webinar."))
    problems.raise_if_any()
    lead = db.session.scalar(select(Lead).where(Lead.email == clean))
    touch = add_touch(
        lead,
        TouchKind.OFFLINE,
        occurred_at,
        Source(partner_id, campaign_id=campaign_id, webinar_id=webinar_id, channel=kind),
    )
    touch.email = clean
    db.session.flush()
    if lead is not None:
        touches_changed.send(lead_ids=[lead.id])
    return touch
