"""Tying a CRM object to our lead and applying its state (contract §8). Services flush;
callers commit.

A CRM object is our lead when: its id is the one our push got back (the lead itself, or the
Bitrix24 lead a deal came from), else an earlier event of the same object was tied to a lead,
else its contact's e-mail or phone is a lead's. States apply only when newer than the lead's
(``leads.services.status``); with ``payments_from_deals`` a won amount becomes a payment whose
later changes are recorded as the difference (a refund line when it shrinks or the deal is
lost), so replaying any state records nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select

from comarketing.commissions.models import Payment, PaymentSource
from comarketing.commissions.services import record_payment
from comarketing.core.contacts import InvalidContact, normalize_email, normalize_phone
from comarketing.core.outbox import OutboxMessage, OutboxStatus
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.crm.enqueue import LEAD_CREATED
from comarketing.integrations.inbound.states import CrmState
from comarketing.integrations.models import CrmEvent
from comarketing.leads.models import Lead, LeadStatus
from comarketing.leads.services.status import apply_crm_state

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Applied:
    lead_id: int | None  # None: no lead of ours
    changed: bool  # the lead's status or won amount changed


def _pushed_lead(destination_id: int, crm_lead_id: str) -> int | None:
    """Our lead that the push to this destination created as ``crm_lead_id``."""
    return db.session.scalar(
        select(OutboxMessage.lead_id)
        .where(
            OutboxMessage.destination_id == destination_id,
            OutboxMessage.topic == LEAD_CREATED,
            OutboxMessage.status == OutboxStatus.DELIVERED,
            OutboxMessage.external_id == crm_lead_id,
        )
        .limit(1)
    )


def _tied_before(destination_id: int, state: CrmState) -> int | None:
    return db.session.scalar(
        select(CrmEvent.lead_id)
        .where(
            CrmEvent.destination_id == destination_id,
            CrmEvent.object_type == state.object_type,
            CrmEvent.object_id == state.object_id,
            CrmEvent.lead_id.is_not(None),
        )
        .order_by(CrmEvent.id.desc())
        .limit(1)
    )


def _normalized(values: tuple[str, ...], normalize: Callable[[str], str]) -> list[str]:
    found = []
    for value in values[:20]:
        try:
            found.append(normalize(value))
        except InvalidContact:
            continue
    return found


def match_by_contact(state: CrmState) -> int | None:
    """The lead whose e-mail or phone is one of the state's contact's (not erased)."""
    emails = _normalized(state.emails, normalize_email)
    phones = _normalized(state.phones, normalize_phone)
    if not emails and not phones:
        return None
    return db.session.scalar(
        select(Lead.id)
        .where(
            Lead.erased_at.is_(None),
            or_(Lead.email.in_(emails or [""]), Lead.phone.in_(phones or [""])),
        )
        .order_by(Lead.id)
        .limit(1)
    )


def match_by_ids(destination_id: int, state: CrmState) -> int | None:
    """Our lead by the ids alone (no contact needed); None when they tie it to nothing."""
    pushed = state.lead_ref if state.object_type == "deal" else state.object_id
    found = _pushed_lead(destination_id, pushed) if pushed else None
    return found or _tied_before(destination_id, state)


def _recorded_amount(reference: str) -> Decimal:
    total = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            or_(Payment.external_id == reference, Payment.external_id.like(f"{reference}:%"))
        )
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _follow_payments(lead: Lead, state: CrmState) -> None:
    """Make the payments of this deal add up to its won amount (0 unless won)."""
    target = state.won_amount if state.status is LeadStatus.CUSTOMER and state.won_amount else ZERO
    recorded = _recorded_amount(state.reference)
    difference = target - recorded
    if difference == 0:
        return
    first = recorded == 0 and not db.session.scalar(
        select(Payment.id).where(Payment.external_id == state.reference)
    )
    external_id = (
        state.reference if first else f"{state.reference}:{int(state.modified_at.timestamp())}"
    )
    record_payment(
        lead_id=lead.id,
        amount=difference,
        paid_at=min(state.modified_at, utcnow()),
        external_id=external_id,
        source=PaymentSource.CRM,
        note=state.reference,
    )


def apply_state(
    lead_id: int | None, state: CrmState, *, payments_from_deals: bool = False
) -> Applied:
    """Apply ``state`` to our lead ``lead_id`` (None: nothing to apply to)."""
    lead = db.session.get(Lead, lead_id) if lead_id is not None else None
    if lead is None or lead.erased_at is not None:
        return Applied(None, False)
    changed = apply_crm_state(
        lead,
        state.status,
        state.modified_at,
        reference=state.reference,
        won_amount=state.won_amount,
    )
    if changed and payments_from_deals and state.pays:
        _follow_payments(lead, state)
    return Applied(lead.id, changed)
