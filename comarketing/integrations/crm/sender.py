"""The CRM channel of the outbox: build the request when the message is sent, make the call
through ``core.http``, and turn the answer into delivered, retry later, or dead.

- 2xx: delivered; the CRM's id of the lead is kept in ``OutboxMessage.external_id``.
- timeouts, connection errors, 408/425/429 and 5xx (Bitrix24's 503 ``QUERY_LIMIT_EXCEEDED``
  included): retried with the outbox backoff, never before a ``Retry-After`` the CRM gave.
- other answers (401 bad token, 400 bad data, 404, a redirect): dead at once — retrying cannot
  help; a person fixes the destination and presses "retry" on the settings page.

Nothing is sent (and the message counts as done) when the lead was erased or deleted, or when
the destination is gone or switched off. Error texts never contain the URL: a Bitrix24 webhook
URL carries its secret, and errors are shown on a page.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app

from comarketing.core import http
from comarketing.core.outbox import DeliveryError, OutboxMessage, Send
from comarketing.extensions import db
from comarketing.integrations.crm import amocrm, bitrix24, webhook
from comarketing.integrations.crm.enqueue import LEAD_CREATED
from comarketing.integrations.crm.lead_data import LeadData, lead_data
from comarketing.integrations.crm.request import AnswerError, CrmRequest, DestinationData
from comarketing.integrations.models import CrmDestination, DestinationKind

log = logging.getLogger(__name__)

# Smallest gap between two calls to one CRM host, in seconds: Bitrix24 allows 2 requests/s
# per portal, amoCRM 7 requests/s per account.
MIN_INTERVAL = {
    DestinationKind.BITRIX24: 0.5,
    DestinationKind.AMOCRM: 1 / 7,
    DestinationKind.WEBHOOK: 0.0,
}
RETRYABLE_STATUSES = frozenset({408, 425, 429})
MAX_RETRY_AFTER = timedelta(days=1)  # a CRM cannot park a lead for longer than this

_pacing_lock = threading.Lock()
_last_call: dict[str, float] = {}  # "<kind> <host:port>" → time.monotonic() of the last call


def pace(kind: DestinationKind, url: str) -> None:
    """Wait until the next call to this CRM host keeps within its rate (``MIN_INTERVAL``).

    The clock is this process's: several ``outbox deliver`` workers each keep their own pace,
    so with N workers a portal may see up to N times the rate (Bitrix24 then answers 503
    ``QUERY_LIMIT_EXCEEDED`` and the message is simply retried).
    """
    interval = MIN_INTERVAL.get(kind, 0.0)
    if interval <= 0:
        return
    key = f"{kind} {urlsplit(url).netloc}"
    with _pacing_lock:
        now = time.monotonic()
        wait = _last_call.get(key, now - interval) + interval - now
        if wait > 0:
            time.sleep(wait)
        _last_call[key] = time.monotonic()


def retry_after(value: str | None, *, now: datetime | None = None) -> timedelta | None:
    """``Retry-After`` (seconds or an HTTP date) as a delay, capped at ``MAX_RETRY_AFTER``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        delay = moment - (now or datetime.now(UTC))
    if delay <= timedelta(0):
        return None
    return min(delay, MAX_RETRY_AFTER)


def build_request(
    destination: DestinationData, lead: LeadData, *, delivery_id: str, timestamp: int
) -> CrmRequest:
    """The request for ``lead`` in the dialect of ``destination``."""
    if destination.kind == DestinationKind.BITRIX24:
        return bitrix24.lead_add(destination.url, lead)
    if not destination.secret:
        raise DeliveryError("the destination has no token or secret", retry=False)
    if destination.kind == DestinationKind.AMOCRM:
        return amocrm.lead_complex(destination.url, destination.secret, lead)
    return webhook.signed_post(
        destination.url, destination.secret, lead, delivery_id=delivery_id, timestamp=timestamp
    )


def _dialect(kind: str) -> Any:
    return {DestinationKind.BITRIX24: bitrix24, DestinationKind.AMOCRM: amocrm}.get(
        DestinationKind(kind), webhook
    )


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _snippet(response: requests.Response) -> str:
    return " ".join(response.text.split())[:200]


def interpret(kind: str, response: requests.Response) -> str | None:
    """The CRM's id of the new lead from a 2xx answer, else a ``DeliveryError`` that says
    whether (and not before when) to try again."""
    status = response.status_code
    answer = _json(response)
    dialect = _dialect(kind)
    if 200 <= status < 300:
        try:
            found: str | None = dialect.external_id(answer)
        except AnswerError as error:
            raise DeliveryError(f"HTTP {status} {error}", retry=error.retry) from None
        return found[:100] if found else None
    detail = dialect.describe_error(answer) or _snippet(response)
    text = f"HTTP {status} {detail}".strip()
    if status in RETRYABLE_STATUSES or status >= 500:
        delay = retry_after(response.headers.get("Retry-After"))
        raise DeliveryError(text, retry=True, retry_after=delay)
    if 300 <= status < 400:
        text += " (redirects are not followed: store the final address)"
    raise DeliveryError(text, retry=False)


def request(kind: DestinationKind, method: str, url: str, **options: Any) -> requests.Response:
    """One call to a CRM host at its pace (``pace``) through ``core.http``; a failure to get an
    answer is a ``DeliveryError`` (a refused target is not retried; the URL, which may carry a
    secret, is never in the text)."""
    pace(kind, url)
    try:
        if method == "GET":
            return http.get(url, **options)
        return http.post(url, **options)
    except http.TargetRefused as error:
        raise DeliveryError(f"refused: {error}", retry=False) from None
    except http.TargetUnresolvable as error:
        raise DeliveryError(str(error)) from None
    except requests.Timeout:
        seconds = options.get("timeout") or current_app.config["OUTBOUND_TIMEOUT"]
        raise DeliveryError(f"no answer within {seconds} s") from None
    except requests.RequestException as error:
        host = urlsplit(url).hostname
        raise DeliveryError(f"connection to {host} failed ({type(error).__name__})") from None


def call(destination: DestinationData, request_: CrmRequest, timeout: float) -> str | None:
    """Send ``request_`` at the CRM's pace; the CRM's lead id, or ``DeliveryError``. Runs
    outside the app's database transaction (``timeout`` in seconds, for the message)."""
    response = request(
        DestinationKind(destination.kind),
        "POST",
        request_.url,
        data=request_.body,
        headers=request_.headers,
        timeout=timeout,
    )
    return interpret(destination.kind, response)


def send_lead(message: OutboxMessage) -> Send | None:
    """Prepare one ``lead.created`` message for its destination; the returned call sends it
    and answers the CRM's id of the lead."""
    if message.topic != LEAD_CREATED:
        raise DeliveryError(f"unknown CRM topic {message.topic!r}", retry=False)
    row = db.session.get(CrmDestination, message.destination_id) if message.destination_id else None
    if row is None or not row.active:
        return None  # the destination was removed or switched off: nothing to send
    lead = lead_data(int(message.payload["lead_id"]), message.payload.get("conversion_id"))
    if lead is None:
        return None  # the lead was deleted or its personal data erased: never push it
    destination = DestinationData(row.id, str(row.kind), row.url, row.secret)
    request = build_request(
        destination, lead, delivery_id=str(message.id), timestamp=int(time.time())
    )
    timeout = current_app.config["OUTBOUND_TIMEOUT"]

    def send() -> str | None:
        external_id = call(destination, request, timeout)
        log.info("lead %s delivered to CRM destination %s", lead.lead_id, destination.id)
        return external_id

    return send
