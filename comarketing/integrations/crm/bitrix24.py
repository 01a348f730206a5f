"""Bitrix24: ``crm.lead.add`` through the portal's inbound webhook.

The webhook URL is ``https://<portal>/rest/<user id>/<secret>/``; the method is appended as
``crm.lead.add.json``. The answer is ``{"result": <lead id>, "time": {…}}``; errors are
``{"error": "CODE", "error_description": "…"}`` — 503 ``QUERY_LIMIT_EXCEEDED`` when the
portal's request bucket (2 requests/s on most plans) overflows, 401 for a revoked webhook.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from comarketing.integrations.crm.lead_data import LeadData
from comarketing.integrations.crm.request import JSON_HEADERS, AnswerError, CrmRequest, encode_json

METHOD = "crm.lead.add.json"
WEBHOOK_PATH = re.compile(r"/rest/\d+/[A-Za-z0-9_]+/$")
# Errors a later attempt can get past: the rate bucket, a temporary overload, a server fault.
RETRYABLE_ERRORS = frozenset(
    {"QUERY_LIMIT_EXCEEDED", "OVERLOAD_LIMIT", "INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER"}
)


def normalize_webhook_url(url: str) -> str:
    """``https://<portal>/rest/<user>/<secret>/`` with the trailing slash; a pasted method
    (``…/profile.json``, ``…/crm.lead.add``) is dropped. ValueError when it is not one."""
    parts = urlsplit(url.strip())
    path = parts.path
    head, _, last = path.rstrip("/").rpartition("/")
    if "." in last:  # a method name; the secret never contains a dot
        path = head
    path = path.rstrip("/") + "/"
    if not WEBHOOK_PATH.search(path):
        raise ValueError("not a Bitrix24 inbound webhook URL")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def lead_fields(lead: LeadData) -> dict[str, Any]:
    """``fields`` of ``crm.lead.add``: contact multifields, source and UTM values."""
    fields: dict[str, Any] = {
        "TITLE": f"{lead.display_name} — {lead.partner}" if lead.partner else lead.display_name,
        "NAME": lead.first_name,
        "LAST_NAME": lead.last_name,
        "COMPANY_TITLE": lead.company,
        # A call is Bitrix24's own source CALL, whoever brought it; else a partner or the web.
        "SOURCE_ID": "CALL" if lead.by_call else "PARTNER" if lead.partner else "WEB",
        "SOURCE_DESCRIPTION": lead.source_description,
        # The lead's id in comarketing: lets anyone spot a duplicate push in the CRM.
        "ORIGINATOR_ID": "comarketing",
        "ORIGIN_ID": str(lead.lead_id),
    }
    if lead.email:
        fields["EMAIL"] = [{"VALUE": lead.email, "VALUE_TYPE": "WORK"}]
    if lead.phone:
        fields["PHONE"] = [{"VALUE": lead.phone, "VALUE_TYPE": "WORK"}]
    for key, value in lead.utm.items():
        fields[f"UTM_{key.upper()}"] = value
    return {key: value for key, value in fields.items() if value not in ("", None)}


def lead_add(webhook_url: str, lead: LeadData) -> CrmRequest:
    """The ``crm.lead.add`` call for ``lead`` on the portal of ``webhook_url``."""
    body = {"fields": lead_fields(lead), "params": {"REGISTER_SONET_EVENT": "Y"}}
    return CrmRequest(
        url=normalize_webhook_url(webhook_url) + METHOD,
        body=encode_json(body),
        headers=dict(JSON_HEADERS),
    )


def describe_error(answer: Any) -> str:
    """``CODE: description`` of an error answer, or "" when it has none."""
    if isinstance(answer, dict) and answer.get("error"):
        description = str(answer.get("error_description") or "").strip()
        return f"{answer['error']}: {description}" if description else str(answer["error"])
    return ""


def external_id(answer: Any) -> str:
    """The new lead's id from a 2xx answer. AnswerError when the body reports an error, or
    has no id at all (a proxy's page, say): whether a lead was made is unknown, so a person
    looks before retrying rather than risk a duplicate."""
    if isinstance(answer, dict) and answer.get("error"):
        code = str(answer["error"])
        raise AnswerError(describe_error(answer), retry=code in RETRYABLE_ERRORS)
    result = answer.get("result") if isinstance(answer, dict) else None
    if isinstance(result, int | str) and not isinstance(result, bool) and str(result):
        return str(result)
    raise AnswerError("the answer has no lead id", retry=False)
