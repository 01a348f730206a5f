"""The generic webhook: the lead as JSON, signed so the receiver knows it is ours.

``X-Comarketing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`` (the same
scheme landing pages use towards us, ``comarketing.core.signatures``).
``X-Comarketing-Delivery`` is the same on every attempt of one message, so a receiver can
drop a repeat; an answer ``{"id": …}`` is kept as the receiver's id of the lead.
"""

from __future__ import annotations

from typing import Any

from comarketing.core.signatures import HEADER as SIGNATURE_HEADER
from comarketing.core.signatures import sign
from comarketing.integrations.crm.lead_data import LeadData
from comarketing.integrations.crm.request import JSON_HEADERS, CrmRequest, encode_json

EVENT = "lead.created"


def lead_document(lead: LeadData) -> dict[str, Any]:
    """The lead as the webhook body carries it; times ISO 8601 in UTC."""
    partner = (
        {"name": lead.partner, "slug": lead.partner_slug, "segment": lead.segment}
        if lead.partner
        else None
    )
    return {
        "id": lead.lead_id,
        "created_at": lead.created_at.isoformat().replace("+00:00", "Z"),
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "company": lead.company,
        "conversion_kind": lead.conversion_kind,
        "partner": partner,
        "campaign": lead.campaign,
        "webinar": lead.webinar,
        "utm": dict(lead.utm),
    }


def signed_post(
    url: str, secret: str, lead: LeadData, *, delivery_id: str, timestamp: int
) -> CrmRequest:
    """The signed POST of ``lead`` to ``url``; ``timestamp`` in Unix seconds."""
    body = encode_json({"event": EVENT, "delivery_id": delivery_id, "lead": lead_document(lead)})
    headers = {
        **JSON_HEADERS,
        SIGNATURE_HEADER: sign(secret, body, timestamp),
        "X-Comarketing-Event": EVENT,
        "X-Comarketing-Delivery": delivery_id,
    }
    return CrmRequest(url=url, body=body, headers=headers)


def describe_error(answer: Any) -> str:
    if isinstance(answer, dict):
        error = answer.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or error.get("code") or "")
        if error:
            return str(error)
    return ""


def external_id(answer: Any) -> str | None:
    if isinstance(answer, dict) and isinstance(answer.get("id"), int | str):
        return str(answer["id"])
    return None
