"""From a CRM object's state to our lead, reading its contacts from the CRM when the ids
alone tie it to nothing. Runs with no transaction held across a network call."""

from __future__ import annotations

from dataclasses import replace

from comarketing.extensions import db
from comarketing.integrations.crm.request import DestinationData
from comarketing.integrations.inbound import client
from comarketing.integrations.inbound.apply import match_by_contact, match_by_ids
from comarketing.integrations.inbound.states import (
    CrmState,
    amocrm_contact_values,
    amocrm_state,
    bitrix24_contact_values,
)
from comarketing.integrations.models import DestinationKind

MAX_CONTACTS = 3  # contacts read per object; a deal's main contact comes first


def with_contacts(destination: DestinationData, state: CrmState) -> CrmState:
    """``state`` with the e-mails and phones of its contacts (read from the CRM)."""
    if state.emails or state.phones:
        return state
    contact_ids = state.contact_ids
    if not contact_ids and destination.kind == DestinationKind.AMOCRM:
        contact_ids = amocrm_state(client.amocrm_lead(destination, state.object_id)).contact_ids
    emails: list[str] = []
    phones: list[str] = []
    for contact_id in contact_ids[:MAX_CONTACTS]:
        try:
            if destination.kind == DestinationKind.BITRIX24:
                fields = client.bitrix24_get(destination, "contact", contact_id)
                found = bitrix24_contact_values(fields)
            else:
                found = amocrm_contact_values(client.amocrm_contact(destination, contact_id))
        except client.ObjectGone:
            continue
        emails.extend(found[0])
        phones.extend(found[1])
    return replace(state, emails=tuple(emails), phones=tuple(phones))


def resolve(destination: DestinationData, state: CrmState) -> tuple[int | None, CrmState]:
    """Our lead's id for ``state`` (None: none of ours) and the state as completed."""
    lead_id = match_by_ids(destination.id, state)
    if lead_id is not None:
        return lead_id, state
    db.session.commit()  # end the read before waiting on the CRM (nothing was written)
    try:
        state = with_contacts(destination, state)
    except client.ObjectGone:
        return None, state
    return match_by_contact(state), state
