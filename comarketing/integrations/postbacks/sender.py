"""Sending a postback (the outbox's ``postback.`` topics): the body is built when the message
is sent, from the database, and POSTed signed like our webhooks through ``core.http``, with
no transaction open; the answer is judged like a webhook's (``crm.sender.interpret``: 2xx
delivered, timeouts/429/5xx retried with the outbox's backoff, other answers dead at once).

Headers: ``X-Comarketing-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`` made with
the endpoint's secret, ``X-Comarketing-Event`` (``lead.created`` …) and
``X-Comarketing-Delivery`` (the outbox message's id: the same on every attempt, so the
partner can drop a repeat).

Nothing is sent (the message counts as done) when the endpoint was deleted or switched off,
its partner is inactive, the lead was deleted or erased, or the commission is gone. The body
holds the partner's own facts only: ids, statuses, times, the commission's amount and status
— the person's e-mail and name only while the partner owns the lead — never a CRM's ids or
the won amount.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app

from comarketing.commissions.models import Commission
from comarketing.core import http
from comarketing.core.money import money_str
from comarketing.core.outbox import DeliveryError, OutboxMessage, Send
from comarketing.core.signatures import HEADER as SIGNATURE_HEADER
from comarketing.core.signatures import sign
from comarketing.extensions import db
from comarketing.integrations.crm.request import (
    JSON_HEADERS,
    CrmRequest,
    DestinationData,
    encode_json,
)
from comarketing.integrations.crm.sender import call
from comarketing.integrations.models import DestinationKind
from comarketing.integrations.postbacks.models import (
    COMMISSION_CREATED,
    EVENTS,
    TOPIC_PREFIX,
    PostbackEndpoint,
)
from comarketing.integrations.postbacks.services import may_reach_private
from comarketing.integrations.postbacks.subscribers import iso
from comarketing.leads.models import Lead
from comarketing.partners.models import Partner

log = logging.getLogger(__name__)

EVENT_HEADER = "X-Comarketing-Event"
DELIVERY_HEADER = "X-Comarketing-Delivery"


def lead_part(lead: Lead, partner_id: int) -> dict[str, Any]:
    """The lead as a postback names it: its id, and its e-mail and name only while
    ``partner_id`` owns it (a lead re-bound to another partner since is that partner's)."""
    owned = lead.owner_partner_id == partner_id
    return {
        "id": lead.id,
        "email": lead.email if owned else None,
        "name": (lead.name or None) if owned else None,
    }


def postback_body(
    event: str, payload: dict[str, Any], partner_id: int, delivery_id: str
) -> dict[str, Any] | None:
    """The JSON body of ``event`` for the endpoint of ``partner_id`` (None: nothing to send
    any more). Reads the database."""
    body: dict[str, Any] = {"event": event, "delivery_id": delivery_id}
    if event == COMMISSION_CREATED:
        commission = db.session.get(Commission, int(payload["commission_id"]))
        if commission is None or commission.partner_id != partner_id:
            return None
        # A product's monthly line (closed month) has no single lead.
        lead = db.session.get(Lead, commission.lead_id) if commission.lead_id else None
        if commission.lead_id is not None and (lead is None or lead.erased_at is not None):
            return None
        body["occurred_at"] = iso(commission.created_at)
        body["commission"] = {
            "id": commission.id,
            "lead_id": commission.lead_id,
            "amount": money_str(commission.amount),
            "status": str(commission.status),
            "product": commission.product,
            "period": commission.period,
            "created_at": iso(commission.created_at),
        }
        body["lead"] = lead_part(lead, partner_id) if lead is not None else None
        return body
    lead = db.session.get(Lead, int(payload["lead_id"]))
    if lead is None or lead.erased_at is not None:
        return None
    body["occurred_at"] = payload["occurred_at"]
    body["lead"] = {**lead_part(lead, partner_id), "status": payload["status"]}
    if "previous" in payload:
        body["lead"]["previous_status"] = payload["previous"]
    return body


def signed_request(
    url: str, secret: str, event: str, body: dict[str, Any], *, delivery_id: str, timestamp: int
) -> CrmRequest:
    """The signed POST of ``body`` to ``url``; ``timestamp`` in Unix seconds."""
    data = encode_json(body)
    headers = {
        **JSON_HEADERS,
        SIGNATURE_HEADER: sign(secret, data, timestamp),
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery_id,
    }
    return CrmRequest(url=url, body=data, headers=headers)


def send_postback(message: OutboxMessage) -> Send | None:
    """Prepare one ``postback.<event>`` message; the returned call sends it."""
    event = message.topic.removeprefix(TOPIC_PREFIX)
    if not message.topic.startswith(TOPIC_PREFIX) or event not in EVENTS:
        raise DeliveryError(f"unknown postback topic {message.topic!r}", retry=False)
    payload = message.payload
    endpoint = db.session.get(PostbackEndpoint, int(payload["endpoint_id"]))
    if (
        endpoint is None
        or not endpoint.active
        or endpoint.partner_id != payload.get("partner_id")
        or event not in endpoint.events
    ):
        return None  # deleted, switched off, or not this partner's: nothing to send
    partner = db.session.get(Partner, endpoint.partner_id)
    if partner is None or not partner.active:
        return None  # an inactive partner is told nothing (its logins and tokens are off)
    delivery_id = str(message.id)
    body = postback_body(event, payload, endpoint.partner_id, delivery_id)
    if body is None:
        return None
    request = signed_request(
        endpoint.url,
        endpoint.secret,
        event,
        body,
        delivery_id=delivery_id,
        timestamp=int(time.time()),
    )
    target = DestinationData(endpoint.id, DestinationKind.WEBHOOK.value, endpoint.url)
    allow_private = may_reach_private()
    timeout = current_app.config["OUTBOUND_TIMEOUT"]
    endpoint_id = endpoint.id

    def send() -> str | None:
        # The stricter rule of postbacks first (``core.http.post`` checks the app's own).
        try:
            http.check_target(request.url, allow_private=allow_private)
        except http.TargetRefused as error:
            raise DeliveryError(f"refused: {error}", retry=False) from None
        except http.TargetUnresolvable as error:
            raise DeliveryError(str(error)) from None
        answer = call(target, request, timeout)
        log.info("postback %s delivered to endpoint %s", event, endpoint_id)
        return answer

    return send
