"""The transactional outbox: messages written with the change that causes them, delivered
later by ``flask outbox deliver`` with exponential backoff, never lost, never sent twice.

Channels register a sender; a sender raises ``DeliveryError`` to ask for a retry (or not).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.models import OutboxChannel, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A delivery failed; ``retry`` False means retrying cannot help (e.g. a 400 answer)."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


Sender = Callable[[OutboxMessage], None]
SENDERS: dict[OutboxChannel, Sender] = {}
# Modules that register senders; imported before delivering.
SENDER_MODULES = ("comarketing.integrations.email",)


def sender(channel: OutboxChannel) -> Callable[[Sender], Sender]:
    """Register the function that delivers messages of ``channel``."""

    def register(function: Sender) -> Sender:
        SENDERS[channel] = function
        return function

    return register


def enqueue(
    channel: OutboxChannel,
    topic: str,
    payload: dict[str, Any],
    *,
    due_at: datetime | None = None,
    lead_id: int | None = None,
    destination_id: int | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (flushed, not committed)."""
    message = OutboxMessage(
        channel=channel,
        topic=topic,
        payload=payload,
        next_attempt_at=due_at or utcnow(),
        lead_id=lead_id,
        destination_id=destination_id,
    )
    db.session.add(message)
    db.session.flush()
    return message


def retry_delay(attempts: int) -> timedelta | None:
    """The wait before attempt ``attempts + 1`` (OUTBOX_RETRY_DELAYS, seconds); None: dead."""
    delays: list[int] = current_app.config["OUTBOX_RETRY_DELAYS"]
    if attempts > len(delays):
        return None
    return timedelta(seconds=delays[attempts - 1])


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    dead: int = 0

    def __str__(self) -> str:
        return f"{self.delivered} delivered, {self.retried} to retry, {self.dead} dead"


def _claim_next(now: datetime) -> OutboxMessage | None:
    """Lock the next due message. ``SKIP LOCKED`` lets several workers share the queue on
    PostgreSQL; on SQLite writers are serialised anyway."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.scalar(stmt)


def deliver_one(message: OutboxMessage, now: datetime, report: DeliveryReport) -> None:
    message.attempts += 1
    try:
        SENDERS[message.channel](message)
    except DeliveryError as error:
        message.last_error = str(error)[:2000]
        delay = retry_delay(message.attempts) if error.retry else None
        if delay is None:
            message.status = OutboxStatus.DEAD
            report.dead += 1
            log.warning("outbox message %s is dead: %s", message.id, error)
        else:
            message.next_attempt_at = now + delay
            report.retried += 1
        return
    message.status = OutboxStatus.DELIVERED
    message.delivered_at = utcnow()
    message.last_error = None
    report.delivered += 1


def deliver_due(*, now: datetime | None = None, limit: int = 1000) -> DeliveryReport:
    """Deliver what is due, one message per transaction: a crash loses at most the message
    being sent (it stays pending and is retried)."""
    for module_name in SENDER_MODULES:
        importlib.import_module(module_name)
    report = DeliveryReport()
    for _ in range(limit):
        moment = now or utcnow()
        message = _claim_next(moment)
        if message is None:
            break
        deliver_one(message, moment, report)
        db.session.commit()
    return report


def cancel_pending(
    *,
    lead_id: int | None = None,
    topic_prefix: str | None = None,
    payload_key: tuple[str, Any] | None = None,
) -> int:
    """Cancel pending messages of a lead or of a topic family (e.g. a cancelled webinar)."""
    stmt = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
    if lead_id is not None:
        stmt = stmt.where(OutboxMessage.lead_id == lead_id)
    if topic_prefix is not None:
        stmt = stmt.where(OutboxMessage.topic.startswith(topic_prefix))
    count = 0
    for message in db.session.scalars(stmt):
        if payload_key is not None and message.payload.get(payload_key[0]) != payload_key[1]:
            continue
        message.status = OutboxStatus.CANCELLED
        count += 1
    db.session.flush()
    return count
