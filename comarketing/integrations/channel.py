"""The outbox's CRM channel carries everything integrations exchanges with the outside: new
leads pushed to the CRMs, events the CRMs sent us (read and applied by the worker) and
partners' postbacks. One sender per topic family, chosen by prefix."""

from __future__ import annotations

from comarketing.core.outbox import DeliveryError, OutboxMessage, Send
from comarketing.core.outbox.delivery import Sender
from comarketing.integrations.crm.enqueue import LEAD_CREATED
from comarketing.integrations.crm.sender import send_lead
from comarketing.integrations.inbound.worker import CRM_EVENT, apply_event
from comarketing.integrations.postbacks.sender import send_postback

SENDERS: dict[str, Sender] = {
    LEAD_CREATED: send_lead,
    CRM_EVENT: apply_event,
    "postback.": send_postback,
}


def send(message: OutboxMessage) -> Send | None:
    """Hand ``message`` to the sender of its topic family."""
    for prefix, sender in SENDERS.items():
        if message.topic.startswith(prefix):
            return sender(message)
    raise DeliveryError(f"unknown CRM topic {message.topic!r}", retry=False)
