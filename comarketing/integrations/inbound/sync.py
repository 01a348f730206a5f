"""``crm sync``: read every deal and lead changed in a CRM since the last sync and apply each
the way an event is applied, so that missed webhooks are caught up (contract §8).

Paged and paced like the pushes (2 requests/s per Bitrix24 portal); each object is applied
and committed on its own, and the destination's ``synced_at`` (CRM time) moves with it, so
a sync that stops half-way resumes where it stopped. Objects tied to no lead of ours are kept
as unmatched events (once per object) for a marketer to see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from comarketing.core.outbox import DeliveryError
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.crm.request import DestinationData
from comarketing.integrations.inbound import client
from comarketing.integrations.inbound.apply import apply_state
from comarketing.integrations.inbound.resolve import resolve
from comarketing.integrations.inbound.states import (
    CrmState,
    StateUnreadable,
    amocrm_state,
    bitrix24_state,
)
from comarketing.integrations.models import CrmDestination, CrmEvent, DestinationKind, EventState

# Read a little before the last sync's newest time (or the destination's creation): the CRM's
# times are whole seconds, its filter is strict, and another object may have been modified in
# that same second after the list was read. Objects read twice change nothing.
OVERLAP = timedelta(seconds=5)
SYNC_EVENT = "sync"


@dataclass
class SyncReport:
    read: int = 0
    changed: int = 0
    unmatched: int = 0

    def __str__(self) -> str:
        return f"{self.read} read, {self.changed} changed, {self.unmatched} unmatched"

    def add(self, other: SyncReport) -> None:
        """Count ``other`` in (the total of several CRMs)."""
        self.read += other.read
        self.changed += other.changed
        self.unmatched += other.unmatched


def _states(destination: DestinationData, since: datetime) -> Iterator[CrmState]:
    if destination.kind == DestinationKind.BITRIX24:
        for object_type in ("lead", "deal"):  # a deal's state is the later word on its lead
            for fields in client.bitrix24_changed(destination, object_type, since):
                try:
                    yield bitrix24_state(object_type, fields)
                except StateUnreadable:
                    continue
    else:
        for lead in client.amocrm_changed(destination, since):
            try:
                yield amocrm_state(lead)
            except StateUnreadable:
                continue


def _keep_unmatched(destination_id: int, state: CrmState) -> bool:
    """Keep an unmatched object once (a later sync that finds it again adds nothing)."""
    known = db.session.scalar(
        select(CrmEvent.id)
        .where(
            CrmEvent.destination_id == destination_id,
            CrmEvent.object_type == state.object_type,
            CrmEvent.object_id == state.object_id,
            CrmEvent.state == EventState.UNMATCHED,
        )
        .limit(1)
    )
    if known is not None:
        return False
    db.session.add(
        CrmEvent(
            destination_id=destination_id,
            event=SYNC_EVENT,
            object_type=state.object_type,
            object_id=state.object_id,
            payload={"status": state.status.value},
            state=EventState.UNMATCHED,
            note=state.reference,
            applied_at=utcnow(),
        )
    )
    return True


def sync_destination(
    destination_id: int,
    *,
    since: datetime | None = None,
    progress: Callable[[SyncReport], None] | None = None,
) -> SyncReport:
    """Read and apply what changed in one CRM since ``since`` (default: its last sync, else
    when it was added). Commits per object; ``DeliveryError`` when the CRM fails."""
    row = db.session.get_one(CrmDestination, destination_id)
    destination = DestinationData(row.id, str(row.kind), row.url, row.secret)
    payments_from_deals = row.payments_from_deals
    start = since or (row.synced_at or row.created_at) - OVERLAP
    db.session.commit()
    report = SyncReport()
    for state in _states(destination, start):
        report.read += 1
        lead_id, state = resolve(destination, state)
        applied = apply_state(lead_id, state, payments_from_deals=payments_from_deals)
        if applied.lead_id is None:
            report.unmatched += _keep_unmatched(destination.id, state)
        report.changed += applied.changed
        row = db.session.get_one(CrmDestination, destination_id)
        if row.synced_at is None or state.modified_at > row.synced_at:
            row.synced_at = state.modified_at
        db.session.commit()
        if progress is not None:
            progress(report)
    return report


def syncable_destinations() -> list[int]:
    """Active Bitrix24 and amoCRM destinations, by id."""
    return list(
        db.session.scalars(
            select(CrmDestination.id)
            .where(
                CrmDestination.active.is_(True),
                CrmDestination.kind.in_([DestinationKind.BITRIX24, DestinationKind.AMOCRM]),
            )
            .order_by(CrmDestination.id)
        )
    )


def sync_all(
    destination_ids: list[int] | None = None, *, since: datetime | None = None
) -> list[tuple[int, SyncReport | DeliveryError]]:
    """Sync each destination (default: every active CRM); one that fails does not stop the
    others. Per destination: its report, or the CRM's error."""
    results: list[tuple[int, SyncReport | DeliveryError]] = []
    for destination_id in syncable_destinations() if destination_ids is None else destination_ids:
        try:
            results.append((destination_id, sync_destination(destination_id, since=since)))
        except DeliveryError as error:
            db.session.rollback()
            results.append((destination_id, error))
    return results


def periodic_sync() -> str:
    """The worker's job (every ``CRM_SYNC_INTERVAL`` seconds): catch up what webhooks missed."""
    results = sync_all()
    total = SyncReport()
    for _, result in results:
        if isinstance(result, SyncReport):
            total.add(result)
    failed = sum(isinstance(result, DeliveryError) for _, result in results)
    return f"{total} in {len(results)} CRM(s)" + (f", {failed} failed" if failed else "")
