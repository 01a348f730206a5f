"""The transactional outbox (infrastructure, at the height of ``core``): messages written with
the change that causes them (``queue``), delivered by a worker with backoff (``delivery``)
through the sender registered for their channel; e-mail is one channel (``email``)."""

from comarketing.core.outbox.delivery import (
    DeliveryError,
    DeliveryReport,
    OutboxRegistry,
    Send,
    deliver_due,
    outbox_registry,
)
from comarketing.core.outbox.models import OutboxChannel, OutboxMessage, OutboxStatus
from comarketing.core.outbox.queue import cancel_pending, enqueue, enqueue_many, retry_dead

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxRegistry",
    "OutboxStatus",
    "Send",
    "cancel_pending",
    "deliver_due",
    "enqueue",
    "enqueue_many",
    "outbox_registry",
    "retry_dead",
]
