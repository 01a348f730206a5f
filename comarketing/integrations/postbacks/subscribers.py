"""Queueing postbacks in the transaction of the event (receivers of the leads' and the
commissions' signals, connected by ``integrations.subscribers``): one outbox message per
event and active endpoint of the partner that owned the lead at that moment (for a
commission, the partner that earned it) and asked for the event.

Payloads hold ids and the facts of the moment (the status a lead moved to and from, when),
never a person's data: the body is built when the message is sent (``postbacks.sender``),
so an erased person is never sent. Receivers flush (through the outbox), never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from comarketing.commissions.models import Commission
from comarketing.core.outbox import OutboxChannel, enqueue_many
from comarketing.extensions import db
from comarketing.integrations.postbacks.models import (
    COMMISSION_CREATED,
    LEAD_CREATED,
    LEAD_STATUS_CHANGED,
    PostbackEndpoint,
    topic,
)
from comarketing.leads.models import Lead
from comarketing.leads.signals import NewLead, StatusChanged
from comarketing.partners.models import Partner

IN_CHUNK = 500  # lead ids per IN (…) list


def iso(moment: datetime) -> str:
    """A UTC time as the postbacks carry it: ISO 8601 with ``Z``."""
    return moment.isoformat().replace("+00:00", "Z")


def _subscribed(event: str, rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Outbox rows for the ``(endpoint_id, partner_id, events, lead_id, facts)`` rows whose
    endpoint asked for ``event``."""
    return [
        {
            "payload": {"endpoint_id": endpoint_id, "partner_id": partner_id, **facts},
            "lead_id": lead_id,
        }
        for endpoint_id, partner_id, events, lead_id, facts in rows
        if event in (events or ())
    ]


def _endpoints() -> Any:
    """Active endpoints of active partners, with what the rows above need."""
    return (
        select(PostbackEndpoint.id, PostbackEndpoint.partner_id, PostbackEndpoint.events)
        .join(Partner, Partner.id == PostbackEndpoint.partner_id)
        .where(PostbackEndpoint.active.is_(True), Partner.active.is_(True))
    )


def enqueue_lead_created(_sender: Any = None, *, leads: Sequence[NewLead]) -> int:
    """``lead.created`` for each new lead that has an owner (a ``leads_created``
    receiver): one query per 500 leads, one bulk insert. Returns how many were queued."""
    ids = sorted({lead.lead_id for lead in leads})
    rows = []
    for start in range(0, len(ids), IN_CHUNK):
        found = db.session.execute(
            _endpoints()
            .add_columns(Lead.id, Lead.status, Lead.created_at)
            .join(Lead, Lead.owner_partner_id == PostbackEndpoint.partner_id)
            .where(Lead.id.in_(ids[start : start + IN_CHUNK]))
            .order_by(Lead.id, PostbackEndpoint.id)
        ).all()
        rows += [
            (
                endpoint_id,
                partner_id,
                events,
                lead_id,
                {"lead_id": lead_id, "status": str(status), "occurred_at": iso(created_at)},
            )
            for endpoint_id, partner_id, events, lead_id, status, created_at in found
        ]
    messages = _subscribed(LEAD_CREATED, rows)
    return enqueue_many(OutboxChannel.CRM, topic(LEAD_CREATED), messages) if messages else 0


def enqueue_status_changed(_sender: Any = None, *, change: StatusChanged) -> int:
    """``lead.status_changed`` for the partner that owns the lead now, as the change is
    flushed (a ``lead_status_changed`` receiver)."""
    found = db.session.execute(
        _endpoints()
        .join(Lead, Lead.owner_partner_id == PostbackEndpoint.partner_id)
        .where(Lead.id == change.lead_id)
        .order_by(PostbackEndpoint.id)
    ).all()
    facts = {
        "lead_id": change.lead_id,
        "previous": change.previous,
        "status": change.status,
        "occurred_at": iso(change.changed_at),
    }
    messages = _subscribed(
        LEAD_STATUS_CHANGED,
        (
            (endpoint_id, partner_id, events, change.lead_id, facts)
            for endpoint_id, partner_id, events in found
        ),
    )
    return enqueue_many(OutboxChannel.CRM, topic(LEAD_STATUS_CHANGED), messages) if messages else 0


def enqueue_commission_created(_sender: Any = None, *, commission_id: int) -> int:
    """``commission.created`` for the partner that earned the line (a reversal too; a
    ``commission_created`` receiver)."""
    found = db.session.execute(
        _endpoints()
        .add_columns(Commission.lead_id)
        .join(Commission, Commission.partner_id == PostbackEndpoint.partner_id)
        .where(Commission.id == commission_id)
        .order_by(PostbackEndpoint.id)
    ).all()
    messages = _subscribed(
        COMMISSION_CREATED,
        (
            (
                endpoint_id,
                partner_id,
                events,
                lead_id,
                {"lead_id": lead_id, "commission_id": commission_id},
            )
            for endpoint_id, partner_id, events, lead_id in found
        ),
    )
    return enqueue_many(OutboxChannel.CRM, topic(COMMISSION_CREATED), messages) if messages else 0
