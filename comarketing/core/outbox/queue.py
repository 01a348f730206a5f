"""Writing to the outbox: in the caller's transaction (flushed, never committed), so a message
exists if and only if the change that causes it was committed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select

from comarketing.core.bulk_insert import insert_rows
from comarketing.core.outbox.models import OutboxChannel, OutboxMessage, OutboxStatus
from comarketing.core.time import utcnow
from comarketing.extensions import db


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


def enqueue_many(channel: OutboxChannel, topic: str, messages: Iterable[dict[str, Any]]) -> int:
    """Add many messages of one channel and topic at once (bulk imports), due now. Each item
    holds ``payload`` and optionally ``lead_id`` and ``destination_id``; returns the count."""
    now = utcnow()
    rows = [
        {
            "channel": channel.value,
            "topic": topic,
            "payload": message["payload"],
            "lead_id": message.get("lead_id"),
            "destination_id": message.get("destination_id"),
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for message in messages
    ]
    insert_rows(cast(Table, OutboxMessage.__table__), rows)
    return len(rows)


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


def retry_dead(message_ids: list[int] | None = None) -> int:
    """Make dead messages pending again, due now, with a fresh backoff schedule (the last
    error stays visible until the next attempt). ``None``: every dead message. Returns how
    many were revived."""
    stmt = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.DEAD)
    if message_ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(message_ids))
    now = utcnow()
    count = 0
    for message in db.session.scalars(stmt):
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = now
        count += 1
    db.session.flush()
    return count
