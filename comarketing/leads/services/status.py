"""A lead's status as the CRM (or a payment) moves it: new → working → customer or lost.

Order-safe and idempotent (contract §8): a CRM state is applied only when it is newer than
the one the lead holds (``crm_status_at``), so a replayed or late event changes nothing.
Services flush; callers commit.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from comarketing.core.money import money
from comarketing.extensions import db
from comarketing.leads.models import Lead, LeadStatus, LeadStatusChange, StatusSource
from comarketing.leads.signals import StatusChanged, funnel_changed, lead_status_changed


def _record(
    lead: Lead,
    status: LeadStatus,
    changed_at: datetime,
    source: StatusSource,
    reference: str,
    won_amount: Decimal | None,
) -> None:
    previous = lead.status
    lead.status = status
    if status is LeadStatus.CUSTOMER and (
        lead.customer_since is None or changed_at < lead.customer_since
    ):
        lead.customer_since = changed_at
    db.session.add(
        LeadStatusChange(
            lead_id=lead.id,
            previous=previous,
            status=status,
            changed_at=changed_at,
            source=source,
            reference=reference[:100],
            won_amount=won_amount,
        )
    )
    db.session.flush()
    funnel_changed.send(None, lead_ids=[lead.id])
    if previous is not status:
        lead_status_changed.send(
            None,
            change=StatusChanged(lead.id, previous.value, status.value, changed_at),
        )


def apply_crm_state(
    lead: Lead,
    status: LeadStatus,
    modified_at: datetime,
    *,
    reference: str,
    won_amount: Decimal | None = None,
) -> bool:
    """Apply the CRM's state of ``lead`` as of ``modified_at`` (UTC). ``won_amount`` counts
    for a customer only. Returns False (and changes nothing) when the lead already holds this
    state or a newer one."""
    if lead.crm_status_at is not None and modified_at <= lead.crm_status_at:
        return False
    amount = money(won_amount) if status is LeadStatus.CUSTOMER and won_amount is not None else None
    lead.crm_status_at = modified_at
    if status is lead.status and amount == lead.won_amount:
        db.session.flush()
        return False
    lead.won_amount = amount if status is LeadStatus.CUSTOMER else None
    _record(lead, status, modified_at, StatusSource.CRM, reference, amount)
    return True


def mark_paying_customer(lead: Lead, paid_at: datetime, *, reference: str) -> None:
    """A first payment makes a customer (contract §8); a CRM state newer than the payment
    is left as the CRM set it."""
    if lead.status is LeadStatus.CUSTOMER:
        if lead.customer_since is None or paid_at < lead.customer_since:
            lead.customer_since = paid_at
            db.session.flush()
            funnel_changed.send(None, lead_ids=[lead.id])
        return
    if lead.crm_status_at is not None and lead.crm_status_at > paid_at:
        return
    _record(lead, LeadStatus.CUSTOMER, paid_at, StatusSource.PAYMENT, reference, None)
