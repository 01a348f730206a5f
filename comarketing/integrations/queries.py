"""Reads for the integrations page and for lead pages: destinations, outbox counts, dead
messages and each lead's CRM delivery state. Plain dataclasses out, aggregated in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Select, func, select

from comarketing.core.outbox import OutboxChannel, OutboxMessage, OutboxStatus
from comarketing.extensions import db
from comarketing.integrations.crm.bitrix24 import WEBHOOK_PATH
from comarketing.integrations.crm.enqueue import LEAD_CREATED
from comarketing.integrations.models import CrmDestination, CrmEvent, DestinationKind, EventState

IN_CHUNK = 500  # ids per IN (…) list


@dataclass(frozen=True)
class LeadDelivery:
    """Where one lead stands with one CRM destination. Times UTC."""

    message_id: int
    destination_id: int | None
    destination: str
    kind: str | None
    status: str  # pending, delivered, dead, cancelled
    attempts: int
    last_error: str | None
    external_id: str | None  # the CRM's id of the lead, once delivered
    next_attempt_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class DestinationRow:
    id: int
    kind: str
    name: str
    url: str  # with its secret masked
    active: bool
    created_at: datetime
    counts: dict[str, int]  # CRM messages by status


@dataclass(frozen=True)
class DeadMessage:
    id: int
    channel: str
    topic: str
    lead_id: int | None
    destination: str | None
    attempts: int
    last_error: str | None
    created_at: datetime


def masked_url(kind: str, url: str) -> str:
    """The URL fit to show: a Bitrix24 webhook's secret and any query string hidden."""
    parts = urlsplit(url)
    path = parts.path
    if kind == DestinationKind.BITRIX24 and WEBHOOK_PATH.search(path):
        head = path.rstrip("/").rpartition("/")[0]
        path = f"{head}/…/"
    return urlunsplit((parts.scheme, parts.netloc, path, "…" if parts.query else "", ""))


def delivery_states(lead_ids: Iterable[int]) -> dict[int, list[LeadDelivery]]:
    """CRM delivery of each lead, one entry per destination message (oldest first); leads
    without any CRM message are absent. One query per 500 leads."""
    ids = sorted(set(lead_ids))
    states: dict[int, list[LeadDelivery]] = defaultdict(list)
    for start in range(0, len(ids), IN_CHUNK):
        rows = db.session.execute(
            select(OutboxMessage, CrmDestination.name, CrmDestination.kind)
            .outerjoin(CrmDestination, CrmDestination.id == OutboxMessage.destination_id)
            .where(
                OutboxMessage.channel == OutboxChannel.CRM,
                OutboxMessage.topic == LEAD_CREATED,
                OutboxMessage.lead_id.in_(ids[start : start + IN_CHUNK]),
            )
            .order_by(OutboxMessage.lead_id, OutboxMessage.id)
        ).all()
        for message, name, kind in rows:
            if message.lead_id is None:  # pragma: no cover - excluded by the IN (…)
                continue
            states[message.lead_id].append(
                LeadDelivery(
                    message_id=message.id,
                    destination_id=message.destination_id,
                    destination=name or "—",
                    kind=str(kind) if kind else None,
                    status=str(message.status),
                    attempts=message.attempts,
                    last_error=message.last_error,
                    external_id=message.external_id,
                    next_attempt_at=message.next_attempt_at,
                    delivered_at=message.delivered_at,
                )
            )
    return dict(states)


def destinations() -> list[DestinationRow]:
    """Every destination with its CRM messages counted by status."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for destination_id, status, count in db.session.execute(
        select(OutboxMessage.destination_id, OutboxMessage.status, func.count())
        .where(
            OutboxMessage.channel == OutboxChannel.CRM,
            OutboxMessage.topic == LEAD_CREATED,
            OutboxMessage.destination_id.is_not(None),
        )
        .group_by(OutboxMessage.destination_id, OutboxMessage.status)
    ):
        if destination_id is not None:
            counts[destination_id][str(status)] = count
    return [
        DestinationRow(
            id=row.id,
            kind=str(row.kind),
            name=row.name,
            url=masked_url(str(row.kind), row.url),
            active=row.active,
            created_at=row.created_at,
            counts=counts.get(row.id, {}),
        )
        for row in db.session.scalars(select(CrmDestination).order_by(CrmDestination.id))
    ]


def outbox_counts() -> dict[str, dict[str, int]]:
    """Messages by channel, then by status: ``{"crm": {"pending": 3, …}, "email": {…}}``."""
    counts: dict[str, dict[str, int]] = {
        str(channel): dict.fromkeys(map(str, OutboxStatus), 0) for channel in OutboxChannel
    }
    for channel, status, count in db.session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count()).group_by(
            OutboxMessage.channel, OutboxMessage.status
        )
    ):
        counts[str(channel)][str(status)] = count
    return counts


def dead_messages(limit: int = 200) -> list[DeadMessage]:
    """Dead messages of every channel, newest first (at most ``limit``)."""
    rows = db.session.execute(
        select(OutboxMessage, CrmDestination.name)
        .outerjoin(CrmDestination, CrmDestination.id == OutboxMessage.destination_id)
        .where(OutboxMessage.status == OutboxStatus.DEAD)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        DeadMessage(
            id=message.id,
            channel=str(message.channel),
            topic=message.topic,
            lead_id=message.lead_id,
            destination=name,
            attempts=message.attempts,
            last_error=message.last_error,
            created_at=message.created_at,
        )
        for message, name in rows
    ]


@dataclass(frozen=True)
class InboundRow:
    """A destination's inbound side: whether it can take events, and what came in."""

    id: int
    kind: str
    name: str
    hook_path: str  # where its events are posted (the amoCRM secret masked)
    verified: bool  # a token (Bitrix24) or secret (amoCRM) is set: events are taken
    payments_from_deals: bool
    synced_at: datetime | None
    counts: dict[str, int]  # events by state


def destination_names() -> dict[int, str]:
    return {
        row.id: row.name
        for row in db.session.execute(select(CrmDestination.id, CrmDestination.name))
    }


def inbound() -> list[InboundRow]:
    """Bitrix24 and amoCRM destinations with their events counted by state."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for destination_id, state, count in db.session.execute(
        select(CrmEvent.destination_id, CrmEvent.state, func.count()).group_by(
            CrmEvent.destination_id, CrmEvent.state
        )
    ):
        counts[destination_id][str(state)] = count
    rows = db.session.scalars(
        select(CrmDestination)
        .where(CrmDestination.kind != DestinationKind.WEBHOOK)
        .order_by(CrmDestination.id)
    )
    return [
        InboundRow(
            id=row.id,
            kind=str(row.kind),
            name=row.name,
            hook_path=(
                f"/hooks/bitrix24/{row.id}"
                if row.kind is DestinationKind.BITRIX24
                else f"/hooks/amocrm/{row.id}/…"
            ),
            verified=bool(
                row.app_token_hash if row.kind is DestinationKind.BITRIX24 else row.hook_secret_hash
            ),
            payments_from_deals=row.payments_from_deals,
            synced_at=row.synced_at,
            counts=counts.get(row.id, {}),
        )
        for row in rows
    ]


def events_query(state: EventState | None = None) -> Select[CrmEvent]:
    """CRM events (of one state, or all), newest first."""
    stmt = select(CrmEvent)
    if state is not None:
        stmt = stmt.where(CrmEvent.state == state)
    return stmt.order_by(CrmEvent.received_at.desc(), CrmEvent.id.desc())
