"""The outbox table: a message is written in the same transaction as the change that causes
it, so it exists if and only if the change was committed; a worker delivers it with backoff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import BigIntPK, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class OutboxChannel(StrEnum):
    CRM = "crm"
    EMAIL = "email"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # retries exhausted; shown in the UI, retried by hand
    CANCELLED = "cancelled"  # e.g. the person's data was erased


class OutboxMessage(Model):
    """A message waiting for (or done with) delivery; ``payload`` is plain JSON data."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    channel: Mapped[OutboxChannel] = mapped_column(str_enum(OutboxChannel, "channel"))
    topic: Mapped[str] = mapped_column(String(60))  # lead.created, webinar.reminder, …
    destination_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_destinations.id", ondelete="SET NULL"), index=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))  # id the CRM gave the lead
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SentMail(Model):
    """An e-mail the worker would have sent, kept when no SMTP server is configured
    (development), so the staff can read what went out; only the newest are kept."""

    __tablename__ = "sent_mails"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # the plain-text part, one-time tokens hidden
    topic: Mapped[str] = mapped_column(String(60))
    outbox_message_id: Mapped[int | None] = mapped_column(BigIntPK)
