"""Where leads go (Bitrix24, amoCRM, signed webhooks, carried there by the outbox) and what
comes back from the CRMs (their events, applied by the worker)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import BigIntPK, UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class DestinationKind(StrEnum):
    BITRIX24 = "bitrix24"
    AMOCRM = "amocrm"
    WEBHOOK = "webhook"


class CrmDestination(Model):
    """A CRM or webhook that receives new leads. ``secret`` is the amoCRM token or the
    webhook signing secret (needed in clear to sign and authenticate outbound calls).

    What the CRM sends back is checked against hashes (SHA-256 hex): Bitrix24's
    ``auth[application_token]`` (``app_token_hash``) and the secret in the amoCRM hook's
    address (``hook_secret_hash``). ``synced_at`` is the CRM time the last ``crm sync`` read
    up to (UTC)."""

    __tablename__ = "crm_destinations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DestinationKind] = mapped_column(str_enum(DestinationKind, "kind"))
    name: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str | None] = mapped_column(String(1000))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    app_token_hash: Mapped[str | None] = mapped_column(String(64))
    hook_secret_hash: Mapped[str | None] = mapped_column(String(64))
    payments_from_deals: Mapped[bool] = mapped_column(default=False)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EventState(StrEnum):
    PENDING = "pending"  # stored, waiting for the worker
    APPLIED = "applied"  # tied to a lead (whether or not its status changed)
    UNMATCHED = "unmatched"  # no lead of ours: kept for a marketer to see
    IGNORED = "ignored"  # nothing to apply (an object the CRM deleted, an unknown event)


class CrmEvent(Model):
    """One event a CRM sent us (or one object ``crm sync`` read), stored before we answer so
    that nothing is lost; the worker reads the object and applies it. ``object_type`` is
    ``deal`` or ``lead`` (the CRM's), ``object_id`` its id there; ``payload`` the fields the
    event carried (amoCRM sends the state itself; Bitrix24 only the id)."""

    __tablename__ = "crm_events"
    __table_args__ = (Index("ix_crm_events_state_received_at", "state", "received_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("crm_destinations.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[EventState] = mapped_column(
        str_enum(EventState, "state"), default=EventState.PENDING
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
