"""Queueing new leads for every active CRM destination, in the leads' own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from comarketing.core.outbox import OutboxChannel, enqueue_many
from comarketing.extensions import db
from comarketing.integrations.models import CrmDestination
from comarketing.leads.signals import NewLead

LEAD_CREATED = "lead.created"


def enqueue_new_leads(_sender: Any = None, *, leads: Sequence[NewLead]) -> int:
    """One outbox message per new lead and active destination (a ``leads_created``
    receiver); the payload holds ids only, the CRM request is built when the message is sent
    (so an erased person is never pushed). Returns how many were queued."""
    destinations = db.session.scalars(
        select(CrmDestination.id).where(CrmDestination.active.is_(True))
    ).all()
    return enqueue_many(
        OutboxChannel.CRM,
        LEAD_CREATED,
        (
            {
                "payload": {"lead_id": lead.lead_id, "conversion_id": lead.conversion_id},
                "lead_id": lead.lead_id,
                "destination_id": destination_id,
            }
            for lead in leads
            for destination_id in destinations
        ),
    )
