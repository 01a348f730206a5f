"""Queueing a new lead for every active CRM destination, in the lead's own transaction."""

from __future__ import annotations

from sqlalchemy import select

from comarketing.core.outbox import OutboxChannel, enqueue
from comarketing.extensions import db
from comarketing.integrations.models import CrmDestination
from comarketing.leads.models import Conversion, Lead

LEAD_CREATED = "lead.created"


def enqueue_new_lead(lead: Lead, conversion: Conversion) -> int:
    """One outbox message per active destination; the payload holds ids only, the CRM
    request is built when the message is sent (so an erased person is never pushed)."""
    destinations = db.session.scalars(
        select(CrmDestination.id).where(CrmDestination.active.is_(True))
    ).all()
    for destination_id in destinations:
        enqueue(
            OutboxChannel.CRM,
            LEAD_CREATED,
            {"lead_id": lead.id, "conversion_id": conversion.id},
            lead_id=lead.id,
            destination_id=destination_id,
        )
    return len(destinations)
