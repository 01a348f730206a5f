"""``/api/v1/call-numbers`` and ``/api/v1/calls`` (contract §10): tracking numbers, and the
calls a telephony platform reports to them.

Who may do what: marketers (and admins) add numbers; staff list every number, a partner token
its own static numbers (another partner's answer 404, the pool is staff's). Calls are posted
by a ``calls``-scoped token (signed like intake when the token has a signing secret) or by
staff who plan; a partner lists the calls credited to it.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, calls_allowed, require
from comarketing.api.collections import collection
from comarketing.api.ownership import visible
from comarketing.calls.models import Call, CallNumber, NumberKind
from comarketing.calls.numbers import add_number
from comarketing.calls.queries import calls_query, numbers_query
from comarketing.calls.services import CallInput, record_call
from comarketing.core.auth import Permission, can
from comarketing.core.errors import Forbidden
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import IdField, InputSchema, UTCDateTimeField, not_blank
from comarketing.core.writes import answer, created_or_known
from comarketing.extensions import db
from comarketing.mdf.models import MdfRequest
from comarketing.users.models import TokenScope

blp = api_blueprint("api_calls", __name__, "Call tracking: tracking numbers and their calls.")

PHONE = ma.validate.Length(min=1, max=40)


class CallNumberSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String(metadata={"example": "+74951234567"})
    kind = ma.fields.String(metadata={"enum": [k.value for k in NumberKind]})
    partner_id = ma.fields.Integer(allow_none=True)
    campaign_id = ma.fields.Integer(allow_none=True)
    webinar_id = ma.fields.Integer(allow_none=True)
    mdf_request_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()
    held_until = UTCDateTimeField(allow_none=True)
    reused_count = ma.fields.Integer()
    created_at = UTCDateTimeField()


class CallNumberCreateSchema(InputSchema):
    number = ma.fields.String(
        required=True, validate=[PHONE, not_blank], metadata={"example": "+7 495 123-45-67"}
    )
    partner_id = IdField(load_default=None, allow_none=True)
    campaign_id = IdField(load_default=None, allow_none=True)
    webinar_id = IdField(load_default=None, allow_none=True)
    mdf_request_id = IdField(load_default=None, allow_none=True)
    pool = ma.fields.Boolean(load_default=False)


class CallNumberListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = IdField(strict=False)
    kind = ma.fields.String(validate=ma.validate.OneOf([k.value for k in NumberKind]))


class CallSchema(ma.Schema):
    """A call as the API shows it (a partner sees the caller only masked on its pages; the
    API shows the number to staff and the partner the call is credited to)."""

    id = ma.fields.Integer()
    call_id = ma.fields.String()
    tracking_number = ma.fields.String()
    caller = ma.fields.String(allow_none=True)
    started_at = UTCDateTimeField()
    duration_s = ma.fields.Integer()
    answered = ma.fields.Boolean()
    lead_id = ma.fields.Integer(allow_none=True)
    partner_id = ma.fields.Integer(allow_none=True)
    campaign_id = ma.fields.Integer(allow_none=True)
    webinar_id = ma.fields.Integer(allow_none=True)
    link_id = ma.fields.Integer(allow_none=True)
    credited = ma.fields.Boolean()


class CallAnswerSchema(ma.Schema):
    """What a telephony platform learns: the lead the call joined (null: none)."""

    id = ma.fields.Integer()
    call_id = ma.fields.String()
    lead_id = ma.fields.Integer(allow_none=True)
    credited = ma.fields.Boolean()


class CallCreateSchema(InputSchema):
    call_id = ma.fields.String(
        required=True, validate=[ma.validate.Length(min=1, max=100), not_blank]
    )
    tracking_number = ma.fields.String(required=True, validate=[PHONE, not_blank])
    caller = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=40),
        metadata={"description": "the caller's phone; empty or null: withheld"},
    )
    started_at = UTCDateTimeField(required=True)
    duration_s = ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=0, max=7 * 24 * 3600)
    )
    answered = ma.fields.Boolean(required=True)


class CallListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = IdField(strict=False)


@blp.route("/call-numbers")
class CallNumbers(MethodView):
    @collection(blp, CallNumberListArgsSchema, CallNumberSchema, "CallNumberList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List tracking numbers (a partner token: its own static numbers)."""
        return list_page(numbers_query, actor(), CallNumber.id, args)

    @blp.arguments(CallNumberCreateSchema)
    @blp.response(201, CallNumberSchema)
    def post(self, data: dict[str, Any]) -> CallNumber:
        """Add a tracking number: a partner's static number for one campaign, webinar or MDF
        request, or ``"pool": true`` for the dynamic pool; any typed form becomes E.164."""
        require(Permission.PLAN)
        request_id = data.get("mdf_request_id")
        mdf_request = db.session.get(MdfRequest, request_id) if request_id else None
        owner = mdf_request.partner_id if mdf_request is not None else None
        return answer(lambda: add_number(**data, mdf_request_partner_id=owner))


@blp.route("/call-numbers/<int:number_id>")
class CallNumberById(MethodView):
    @blp.response(200, CallNumberSchema)
    def get(self, number_id: int) -> CallNumber:
        """One tracking number (another partner's, or the pool's for a partner: 404)."""
        return visible(CallNumber, number_id, _("Tracking number not found."))


@blp.route("/calls")
class Calls(MethodView):
    @collection(blp, CallListArgsSchema, CallSchema, "CallList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List calls, newest last (a partner token: those credited to it)."""
        return list_page(calls_query, actor(), Call.id, args)

    @calls_allowed
    @blp.arguments(CallCreateSchema)
    @blp.response(201, CallAnswerSchema)
    @blp.alt_response(200, schema=CallAnswerSchema, description="This call_id was known")
    def post(self, data: dict[str, Any]) -> Any:
        """Report a call (a telephony platform's webhook): 201 with the lead it joined, or
        200 and nothing new for a ``call_id`` already reported."""
        user = actor()
        platform = g.api_token.scope is TokenScope.CALLS and not user.is_partner
        if not (platform or can(user, Permission.PLAN)):
            raise Forbidden(_("Your role does not allow this action."))
        return answer(
            lambda: record_call(CallInput(**data)),
            lambda result: created_or_known(*result),
        )


@blp.route("/calls/<int:call_pk>")
class CallById(MethodView):
    @blp.response(200, CallSchema)
    def get(self, call_pk: int) -> Call:
        """One call (not credited to the partner asking: 404)."""
        return visible(Call, call_pk, _("Call not found."))
