"""Reading objects back from the CRMs, at their pace, through ``core.http``.

Bitrix24: methods of the destination's inbound webhook, ``<webhook>crm.deal.get.json`` with a
JSON body; lists are paged by ``start`` (50 per page, the answer's ``next``). amoCRM:
``GET /api/v4/leads/{id}?with=contacts``, ``GET /api/v4/contacts/{id}``, ``GET
/api/v4/leads?filter[updated_at][from]=<unix>&page=N&limit=250`` (204 when there is nothing).

A failure raises ``DeliveryError`` (retried by the outbox unless retrying cannot help); an
object the CRM no longer has raises ``ObjectGone``. Error texts never contain the URL (a
Bitrix24 webhook URL carries its secret).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import requests

from comarketing.core.outbox import DeliveryError
from comarketing.integrations.crm import amocrm, bitrix24
from comarketing.integrations.crm.request import JSON_HEADERS, DestinationData, encode_json
from comarketing.integrations.crm.sender import RETRYABLE_STATUSES, request, retry_after
from comarketing.integrations.models import DestinationKind

AMOCRM_PAGE = 250
MAX_PAGES = 400  # one sync reads at most this many pages per list (20 000 Bitrix24 objects)


class ObjectGone(Exception):
    """The CRM has no such object (deleted, or never existed)."""


def _failure(response: requests.Response, detail: str, *, retry: bool = False) -> DeliveryError:
    """The error for a failed read; 408/425/429 and 5xx (or ``retry``) are tried again."""
    status = response.status_code
    text = f"HTTP {status} {detail}".strip()
    if retry or status in RETRYABLE_STATUSES or status >= 500:
        delay = retry_after(response.headers.get("Retry-After"))
        return DeliveryError(text, retry=True, retry_after=delay)
    return DeliveryError(text, retry=False)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def bitrix24_call(destination: DestinationData, method: str, params: dict[str, Any]) -> Any:
    """The whole answer of one Bitrix24 method (``{"result": …, "next": …}``)."""
    url = bitrix24.normalize_webhook_url(destination.url) + f"{method}.json"
    response = request(
        DestinationKind.BITRIX24, "POST", url, data=encode_json(params), headers=dict(JSON_HEADERS)
    )
    answer = _json(response)
    description = bitrix24.describe_error(answer)
    if "not found" in description.lower() or response.status_code == 404:
        raise ObjectGone(description or "not found")
    if not 200 <= response.status_code < 300 or description:
        code = str(answer.get("error")) if isinstance(answer, dict) else ""
        detail = description or " ".join(response.text.split())[:200]
        raise _failure(response, detail, retry=code in bitrix24.RETRYABLE_ERRORS)
    if not isinstance(answer, dict) or "result" not in answer:
        raise DeliveryError(f"HTTP {response.status_code} the answer has no result")
    return answer


def bitrix24_get(destination: DestinationData, object_type: str, object_id: str) -> Any:
    """``crm.deal.get`` / ``crm.lead.get`` / ``crm.contact.get``: the object's fields."""
    return bitrix24_call(destination, f"crm.{object_type}.get", {"id": object_id})["result"]


def bitrix24_changed(
    destination: DestinationData, object_type: str, since: datetime
) -> Iterator[dict[str, Any]]:
    """Every deal or lead modified after ``since`` (``crm.*.list``, ``>DATE_MODIFY``), oldest
    first, page by page."""
    select = ["*", "EMAIL", "PHONE"] if object_type == "lead" else ["*"]
    start: int | None = 0
    for _ in range(MAX_PAGES):
        if start is None:
            return
        params = {
            "filter": {">DATE_MODIFY": since.isoformat()},
            "order": {"DATE_MODIFY": "ASC", "ID": "ASC"},
            "select": select,
            "start": start,
        }
        answer = bitrix24_call(destination, f"crm.{object_type}.list", params)
        items = answer["result"] if isinstance(answer["result"], list) else []
        yield from (item for item in items if isinstance(item, dict))
        following = answer.get("next")
        start = int(following) if isinstance(following, int) and following > start else None


def _amocrm_get(destination: DestinationData, path: str, params: dict[str, str]) -> Any:
    if not destination.secret:
        raise DeliveryError("the destination has no token", retry=False)
    url = amocrm.normalize_account_url(destination.url) + path
    headers = {"Authorization": f"Bearer {destination.secret}", "Accept": "application/json"}
    response = request(DestinationKind.AMOCRM, "GET", url, params=params, headers=headers)
    if response.status_code == 204:
        return None
    if response.status_code == 404:
        raise ObjectGone("not found")
    if not 200 <= response.status_code < 300:
        answer = _json(response)
        detail = amocrm.describe_error(answer) or " ".join(response.text.split())[:200]
        raise _failure(response, detail)
    return _json(response)


def amocrm_lead(destination: DestinationData, lead_id: str) -> Any:
    answer = _amocrm_get(destination, f"/api/v4/leads/{lead_id}", {"with": "contacts"})
    if answer is None:
        raise ObjectGone("not found")
    return answer


def amocrm_contact(destination: DestinationData, contact_id: str) -> Any:
    answer = _amocrm_get(destination, f"/api/v4/contacts/{contact_id}", {})
    if answer is None:
        raise ObjectGone("not found")
    return answer


def amocrm_changed(destination: DestinationData, since: datetime) -> Iterator[dict[str, Any]]:
    """Every lead updated at or after ``since`` (unix seconds), oldest first, page by page."""
    for page in range(1, MAX_PAGES + 1):
        params = {
            "filter[updated_at][from]": str(int(since.timestamp())),
            "order[updated_at]": "asc",
            "with": "contacts",
            "page": str(page),
            "limit": str(AMOCRM_PAGE),
        }
        answer = _amocrm_get(destination, "/api/v4/leads", params)
        embedded = answer.get("_embedded") if isinstance(answer, dict) else None
        leads = embedded.get("leads") if isinstance(embedded, dict) else None
        if not leads:
            return
        yield from (lead for lead in leads if isinstance(lead, dict))
        links = answer.get("_links") if isinstance(answer, dict) else None
        if not (isinstance(links, dict) and links.get("next")):
            return
