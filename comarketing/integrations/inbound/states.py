"""A CRM object's state as plain data, and the rules that read it (contract §8). Pure.

Bitrix24: a deal's ``STAGE_SEMANTIC_ID`` (a lead's ``STATUS_SEMANTIC_ID``) ``S`` → customer,
``F`` → lost, anything else → working; ``OPPORTUNITY`` of a won deal is the won amount;
``DATE_MODIFY`` (ISO 8601 with offset) orders states. amoCRM: ``status_id`` 142 → customer,
143 → lost, any other → working; ``price`` of a won lead; ``updated_at``/``last_modified``
(unix seconds) orders states.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from comarketing.leads.models import LeadStatus

AMOCRM_WON = 142
AMOCRM_LOST = 143


@dataclass(frozen=True)
class CrmState:
    """What the CRM says of one object. ``modified_at`` UTC; ``won_amount`` RUB (customers
    only); ``lead_ref`` the Bitrix24 lead a deal came from; ``contact_ids`` to read e-mails
    and phones from when the object is not one we pushed."""

    kind: str  # bitrix24 / amocrm
    object_type: str  # deal / lead
    object_id: str
    status: LeadStatus
    modified_at: datetime
    won_amount: Decimal | None = None
    lead_ref: str | None = None
    contact_ids: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        """``bitrix24:deal:17``: where the state came from (also a payment's ``external_id``)."""
        return f"{self.kind}:{self.object_type}:{self.object_id}"

    @property
    def pays(self) -> bool:
        """Whether a won state is money: a Bitrix24 deal or an amoCRM lead (amoCRM's deals);
        a Bitrix24 lead is only a request that may become a deal."""
        return self.object_type == "deal" or self.kind == "amocrm"


class StateUnreadable(ValueError):
    """The CRM's answer does not describe an object we can apply (no id, no time)."""


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12"):
        return None
    return amount.quantize(Decimal("0.01"))


def _semantic_status(semantic: Any) -> LeadStatus:
    return {"S": LeadStatus.CUSTOMER, "F": LeadStatus.LOST}.get(
        str(semantic or "").strip().upper(), LeadStatus.WORKING
    )


def _bitrix24_time(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise StateUnreadable(f"no modification time: {str(value)[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _multifield(values: Any) -> tuple[str, ...]:
    """``[{"VALUE": "a@b.ru", "VALUE_TYPE": "WORK"}, …]`` → ``("a@b.ru", …)``."""
    if not isinstance(values, list):
        return ()
    return tuple(
        str(item["VALUE"]).strip()
        for item in values
        if isinstance(item, dict) and str(item.get("VALUE") or "").strip()
    )


def bitrix24_contact_values(fields: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """E-mails and phones of a Bitrix24 contact (``crm.contact.get``)."""
    if not isinstance(fields, dict):
        return (), ()
    return _multifield(fields.get("EMAIL")), _multifield(fields.get("PHONE"))


def _id(value: Any) -> str | None:
    text = str(value or "").strip()
    return text if text.isdigit() and text != "0" else None


def bitrix24_state(object_type: str, fields: Any) -> CrmState:
    """The state of a Bitrix24 deal or lead from ``crm.deal.get``/``crm.lead.get`` (or a
    ``…list`` item)."""
    if not isinstance(fields, dict) or _id(fields.get("ID")) is None:
        raise StateUnreadable("the answer has no object")
    semantic = fields.get("STAGE_SEMANTIC_ID" if object_type == "deal" else "STATUS_SEMANTIC_ID")
    status = _semantic_status(semantic)
    contact = _id(fields.get("CONTACT_ID"))
    return CrmState(
        kind="bitrix24",
        object_type=object_type,
        object_id=str(fields["ID"]).strip(),
        status=status,
        modified_at=_bitrix24_time(fields.get("DATE_MODIFY")),
        won_amount=(
            _amount(fields.get("OPPORTUNITY"))
            if status is LeadStatus.CUSTOMER and object_type == "deal"
            else None
        ),
        lead_ref=_id(fields.get("LEAD_ID")) if object_type == "deal" else None,
        contact_ids=(contact,) if contact else (),
        emails=_multifield(fields.get("EMAIL")),
        phones=_multifield(fields.get("PHONE")),
    )


def _unix(value: Any) -> datetime | None:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 12:
        return None
    return datetime.fromtimestamp(int(text), UTC)


def amocrm_status(status_id: Any) -> LeadStatus:
    text = str(status_id or "").strip()
    number = int(text) if text.isdigit() else None
    return {AMOCRM_WON: LeadStatus.CUSTOMER, AMOCRM_LOST: LeadStatus.LOST}.get(
        number or 0, LeadStatus.WORKING
    )


def amocrm_state(lead: Any) -> CrmState:
    """The state of an amoCRM lead: a webhook's item (``status_id``, ``price``,
    ``last_modified``) or an API object (``updated_at``, ``_embedded.contacts``)."""
    if not isinstance(lead, dict) or _id(lead.get("id")) is None:
        raise StateUnreadable("the answer has no lead")
    modified = _unix(lead.get("updated_at")) or _unix(lead.get("last_modified"))
    if modified is None:
        raise StateUnreadable("the lead has no modification time")
    status = amocrm_status(lead.get("status_id"))
    embedded = lead.get("_embedded")
    contacts = embedded.get("contacts") if isinstance(embedded, dict) else None
    contact_ids = tuple(
        str(contact["id"])
        for contact in contacts or []
        if isinstance(contact, dict) and _id(contact.get("id"))
    )
    return CrmState(
        kind="amocrm",
        object_type="lead",
        object_id=str(lead["id"]).strip(),
        status=status,
        modified_at=modified,
        won_amount=_amount(lead.get("price")) if status is LeadStatus.CUSTOMER else None,
        contact_ids=contact_ids,
    )


def amocrm_contact_values(contact: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """E-mails and phones of an amoCRM contact (``custom_fields_values`` by ``field_code``)."""
    emails: list[str] = []
    phones: list[str] = []
    fields = contact.get("custom_fields_values") if isinstance(contact, dict) else None
    for item in fields or []:
        if not isinstance(item, dict):
            continue
        target = {"EMAIL": emails, "PHONE": phones}.get(str(item.get("field_code")))
        if target is None:
            continue
        for value in item.get("values") or []:
            if isinstance(value, dict) and str(value.get("value") or "").strip():
                target.append(str(value["value"]).strip())
    return tuple(emails), tuple(phones)
