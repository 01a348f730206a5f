"""Erasure of a person's personal data (the right to be forgotten): the lead keeps its id,
conversions, touches, owner, payments and commissions — so counts and money stay — but no
longer holds an e-mail, phone, name or company anywhere; messages still waiting to be sent
about the person are cancelled, and their consents to share with co-hosts end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from comarketing.core.contacts import InvalidContact, normalize_email
from comarketing.core.errors import NotFound, ValidationFailed
from comarketing.core.models import IdempotencyRecord
from comarketing.core.outbox import OutboxMessage, OutboxStatus
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, DealRegistration, Lead, Touchpoint
from comarketing.leads.signals import person_erased
from comarketing.links.models import Visitor
from comarketing.webinars.consents import withdraw
from comarketing.webinars.models import Registration


@dataclass(frozen=True)
class ErasureReport:
    lead_id: int | None
    registrations: int  # registrations whose personal fields were cleared
    touches: int  # waiting offline touches that held the address
    messages_cancelled: int  # pending outbox messages about the person
    stored_answers: int  # stored API answers (idempotency) that held the address


def erase_person(email: str) -> ErasureReport:
    """Erase the person with ``email``: 404 when no lead, registration or touch has it."""
    try:
        address = normalize_email(email)
    except InvalidContact as error:
        raise ValidationFailed(str(error), fields={"email": [str(error)]}) from None
    lead = db.session.scalar(select(Lead).where(Lead.email == address))
    return _erase(address, lead)


def erase_lead(lead: Lead) -> ErasureReport:
    """Erase the person behind ``lead`` (the manager's button on the lead's page)."""
    return _erase(lead.email, lead)


def _changed(statement: Any) -> int:
    """Run an UPDATE or DELETE; the number of rows it changed."""
    return int(db.session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def _mentions(value: Any, lead_id: int | None, contacts: set[str]) -> bool:
    """Whether a stored JSON answer holds one of the contacts, or shows the lead itself (an
    object with its ``id`` and contact fields, or its ``lead_id``)."""
    if isinstance(value, str):
        return value.strip().lower() in contacts
    if isinstance(value, list):
        return any(_mentions(item, lead_id, contacts) for item in value)
    if isinstance(value, dict):
        if lead_id is not None and (
            value.get("lead_id") == lead_id
            or (value.get("id") == lead_id and ({"email", "phone"} & value.keys()))
        ):
            return True
        return any(_mentions(item, lead_id, contacts) for item in value.values())
    return False


def _forget_answers(lead_id: int | None, contacts: set[str]) -> int:
    """Delete the stored API answers (Idempotency-Key) that show the person. They are kept
    about a day (``IDEMPOTENCY_KEEP_HOURS``), so reading them all is cheap, and reading the
    JSON finds the person however it was escaped (non-ASCII) or identified (phone only)."""
    found = [
        record_id
        for record_id, body in db.session.execute(
            select(IdempotencyRecord.id, IdempotencyRecord.response_body)
        )
        if body is not None and _mentions(body, lead_id, {c.lower() for c in contacts})
    ]
    if found:
        db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id.in_(found)))
    return len(found)


def _erase(address: str | None, lead: Lead | None) -> ErasureReport:
    registrations_of = [Registration.email == address] if address else []
    if lead is not None:
        registrations_of.append(Registration.lead_id == lead.id)
    if registrations_of:
        # Off every co-host's list at once (contract §12): their consents end with the data.
        withdraw(list(db.session.scalars(select(Registration.id).where(or_(*registrations_of)))))
    registrations = (
        _changed(
            update(Registration)
            .where(or_(*registrations_of))
            .values(email=None, name="", company="", phone=None)
        )
        if registrations_of
        else 0
    )
    touches = (
        _changed(update(Touchpoint).where(Touchpoint.email == address).values(email=None))
        if address
        else 0
    )
    deals_of = [DealRegistration.email == address] if address else []
    if lead is not None:
        deals_of.append(DealRegistration.lead_id == lead.id)
    if deals_of:
        _changed(
            update(DealRegistration)
            .where(or_(*deals_of))
            .values(email=None, phone=None, name="", company="", comment="")
        )
    if lead is None and not registrations and not touches:
        raise NotFound(_("Nobody with this e-mail is known."))
    cancelled = answers = 0
    contacts = {value for value in (address, lead.phone if lead else None) if value}
    if lead is not None:
        person_erased.send(lead_id=lead.id, phones=[lead.phone] if lead.phone else [])
        lead.email = lead.phone = None
        lead.name = lead.company = ""
        lead.erased_at = utcnow()
        _changed(
            update(Conversion).where(Conversion.lead_id == lead.id).values(name="", company="")
        )
        cancelled = _changed(
            update(OutboxMessage)
            .where(OutboxMessage.lead_id == lead.id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.CANCELLED)
        )
        # A CRM's refusal may quote the person; the browser's visitor id no longer leads here.
        _changed(
            update(OutboxMessage).where(OutboxMessage.lead_id == lead.id).values(last_error=None)
        )
        _changed(delete(Visitor).where(Visitor.lead_id == lead.id))
    answers = _forget_answers(lead.id if lead else None, contacts)
    db.session.flush()
    return ErasureReport(lead.id if lead else None, registrations, touches, cancelled, answers)
