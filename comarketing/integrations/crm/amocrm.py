"""amoCRM: ``POST /api/v4/leads/complex`` — the lead with its contact (and company) in one call.

Authorised with a long-lived token (``Authorization: Bearer …``). The answer is a list,
``[{"id": <lead id>, "contact_id": …, "company_id": …, "request_id": ["…"], "merged": …}]``;
errors are ``application/problem+json`` (``title``, ``detail``, ``validation-errors``): 401
for a bad token, 400 for invalid data, 429 beyond 7 requests/s.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from comarketing.integrations.crm.lead_data import LeadData
from comarketing.integrations.crm.request import JSON_HEADERS, AnswerError, CrmRequest, encode_json

PATH = "/api/v4/leads/complex"


def normalize_account_url(url: str) -> str:
    """``https://<account>.amocrm.ru`` (scheme and host only); ValueError without a host."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        raise ValueError("not an amoCRM account URL")
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _contact(lead: LeadData) -> dict[str, Any]:
    contact: dict[str, Any] = {"name": lead.display_name}
    if lead.first_name:
        contact["first_name"] = lead.first_name
    if lead.last_name:
        contact["last_name"] = lead.last_name
    fields = [
        {"field_code": code, "values": [{"value": value, "enum_code": "WORK"}]}
        for code, value in (("EMAIL", lead.email), ("PHONE", lead.phone))
        if value
    ]
    if fields:
        contact["custom_fields_values"] = fields
    return contact


def lead_complex(account_url: str, token: str, lead: LeadData) -> CrmRequest:
    """The ``leads/complex`` call: one lead, its contact, its company, the partner as a tag."""
    embedded: dict[str, Any] = {"contacts": [_contact(lead)]}
    if lead.company:
        embedded["companies"] = [{"name": lead.company}]
    tags = [{"name": name} for name in (lead.partner, "call" if lead.by_call else None) if name]
    if tags:  # the partner, and "call" for a lead that came by a call to a tracking number
        embedded["tags"] = tags
    title = f"{lead.display_name} — {lead.partner}" if lead.partner else lead.display_name
    deal: dict[str, Any] = {"name": title, "request_id": str(lead.lead_id), "_embedded": embedded}
    if lead.utm:  # amoCRM's own tracking fields, so its analytics see the partner too
        deal["custom_fields_values"] = [
            {"field_code": f"UTM_{key.upper()}", "values": [{"value": value}]}
            for key, value in lead.utm.items()
        ]
    body = [deal]
    return CrmRequest(
        url=normalize_account_url(account_url) + PATH,
        body=encode_json(body),
        headers={**JSON_HEADERS, "Authorization": f"Bearer {token}"},
    )


def describe_error(answer: Any) -> str:
    """``title: detail`` of a problem answer, with the first validation error if any."""
    if not isinstance(answer, dict):
        return ""
    text = ": ".join(str(answer[key]) for key in ("title", "detail") if answer.get(key))
    for problem in answer.get("validation-errors") or []:
        for error in problem.get("errors") or [] if isinstance(problem, dict) else []:
            if isinstance(error, dict):
                return f"{text} ({error.get('path')}: {error.get('detail')})"
    return text


def external_id(answer: Any) -> str:
    """The new lead's id from the 200 answer; AnswerError (not retried: a person checks the
    CRM first) when there is none."""
    if isinstance(answer, list) and answer and isinstance(answer[0], dict):
        lead_id = answer[0].get("id")
        if isinstance(lead_id, int | str) and not isinstance(lead_id, bool):
            return str(lead_id)
    raise AnswerError("the answer has no lead id", retry=False)
