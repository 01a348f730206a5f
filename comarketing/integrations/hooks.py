"""``/hooks/bitrix24/<id>`` and ``/hooks/amocrm/<id>/<secret>``: the CRMs' outbound events,
taken exactly as they send them (form-encoded), verified, stored and answered at once; the
worker reads and applies them (contract §8). Answers are JSON.

Bitrix24 proves itself with the application token of its outbound webhook (another token →
401); amoCRM with the secret in the address (another secret → 404, as for an unknown hook).
An event we do not act on is acknowledged (200, ``ignored``) so the CRM does not retry it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.wrappers import Response

from comarketing.extensions import csrf, db, limiter
from comarketing.integrations.inbound.events import EventRefused, amocrm_events, bitrix24_event
from comarketing.integrations.inbound.receive import (
    amocrm_secret_valid,
    bitrix24_token_valid,
    destination_for,
    store_events,
)
from comarketing.integrations.models import DestinationKind

bp = Blueprint("hooks", __name__, url_prefix="/hooks")
csrf.exempt(bp)  # a CRM proves itself with its token or secret, never with a cookie


def _rate() -> str:
    return str(current_app.config["CRM_HOOK_RATE_LIMIT"])


def _accepted(count: int) -> tuple[Response, int]:
    return jsonify(status="accepted", events=count), 200


def _ignored(reason: str) -> tuple[Response, int]:
    return jsonify(status="ignored", reason=reason), 200


@bp.post("/bitrix24/<int:destination_id>")
@limiter.limit(_rate)
def bitrix24(destination_id: int) -> tuple[Response, int]:
    destination = destination_for(DestinationKind.BITRIX24, destination_id)
    if destination is None:
        abort(404)
    try:
        event, token = bitrix24_event(request.form.items())
    except EventRefused as refused:
        if not bitrix24_token_valid(destination, request.form.get("auth[application_token]", "")):
            abort(401)
        return _ignored(str(refused))
    if not bitrix24_token_valid(destination, token):
        abort(401)
    store_events(destination, [event])
    db.session.commit()
    return _accepted(1)


@bp.post("/amocrm/<int:destination_id>/<secret>")
@limiter.limit(_rate)
def amocrm(destination_id: int, secret: str) -> tuple[Response, int]:
    destination = destination_for(DestinationKind.AMOCRM, destination_id)
    if destination is None or not amocrm_secret_valid(destination, secret):
        abort(404)
    try:
        events = amocrm_events(request.form.items())
    except EventRefused as refused:
        return _ignored(str(refused))
    store_events(destination, events)
    db.session.commit()
    return _accepted(len(events))
