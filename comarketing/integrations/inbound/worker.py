"""The worker's side of an inbound event (an outbox message of topic ``crm.event``): read
the object from the CRM when the event carries only its id (Bitrix24), tie it to our lead and
apply it. A CRM that is down raises ``DeliveryError``: the message is retried with the outbox
backoff, the event stays stored and pending, nothing is lost. The state is applied in the
transaction that marks the message delivered."""

from __future__ import annotations

import logging
from typing import Any

from comarketing.core.outbox import OutboxMessage, Send
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.crm.request import DestinationData
from comarketing.integrations.inbound import client
from comarketing.integrations.inbound.apply import apply_state
from comarketing.integrations.inbound.receive import CRM_EVENT
from comarketing.integrations.inbound.resolve import resolve
from comarketing.integrations.inbound.states import (
    CrmState,
    StateUnreadable,
    amocrm_state,
    bitrix24_state,
)
from comarketing.integrations.models import (
    CrmDestination,
    CrmEvent,
    DestinationKind,
    EventState,
)

__all__ = ["CRM_EVENT", "apply_event"]

log = logging.getLogger(__name__)


def read_state(
    destination: DestinationData, object_type: str, object_id: str, payload: dict[str, Any]
) -> CrmState:
    """The object's state: read back from Bitrix24, carried by amoCRM's webhook itself."""
    if destination.kind == DestinationKind.BITRIX24:
        fields = client.bitrix24_get(destination, object_type, object_id)
        return bitrix24_state(object_type, fields)
    return amocrm_state({**payload, "id": object_id})


def _finish(
    event_id: int, state: EventState, *, lead_id: int | None = None, note: str = ""
) -> None:
    event = db.session.get_one(CrmEvent, event_id)
    event.state = state
    event.lead_id = lead_id
    event.note = note[:500]
    event.applied_at = utcnow()
    db.session.flush()


def apply_event(message: OutboxMessage) -> Send | None:
    """Prepare one stored event; the returned call reads, ties and applies it."""
    event = db.session.get(CrmEvent, int(message.payload["event_id"]))
    if event is None or event.state is not EventState.PENDING:
        return None  # applied already (a repeat of the message), or removed
    row = db.session.get(CrmDestination, event.destination_id)
    if row is None:
        return None
    destination = DestinationData(row.id, str(row.kind), row.url, row.secret)
    payments_from_deals = row.payments_from_deals
    event_id, object_type, object_id = event.id, event.object_type, event.object_id
    payload = dict(event.payload)

    def send() -> None:
        try:
            state = read_state(destination, object_type, object_id, payload)
        except client.ObjectGone as gone:
            _finish(event_id, EventState.IGNORED, note=f"the CRM has no such object ({gone})")
            return
        except StateUnreadable as error:
            _finish(event_id, EventState.IGNORED, note=str(error))
            return
        lead_id, state = resolve(destination, state)
        applied = apply_state(lead_id, state, payments_from_deals=payments_from_deals)
        if applied.lead_id is None:
            _finish(event_id, EventState.UNMATCHED, note=state.reference)
        else:
            _finish(event_id, EventState.APPLIED, lead_id=applied.lead_id, note=state.status)
            log.info("CRM event %s applied to lead %s", event_id, applied.lead_id)
        return

    return send
