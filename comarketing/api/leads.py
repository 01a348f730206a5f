"""``/api/v1/leads``: leads from landing pages, forms and CRMs, deduplicated to persons."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, intake_allowed, require
from comarketing.api.collections import collection
from comarketing.api.intake import AcceptedSchema, accepted
from comarketing.api.ownership import visible
from comarketing.commissions.services import release_flagged
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission, can
from comarketing.core.errors import Forbidden
from comarketing.core.idempotency import idempotent
from comarketing.core.money import money_str
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import DayField, IdField, InputSchema, UTCDateTimeField, not_blank
from comarketing.core.writes import answer, created_or_known
from comarketing.leads.models import ConversionKind, Lead, LeadStatus
from comarketing.leads.queries import leads_query
from comarketing.leads.services import Submission, record_submission, take_utm
from comarketing.users.models import TokenScope

blp = api_blueprint("api_leads", __name__, "Leads: persons with conversions and an owner.")


def _text(length: int) -> ma.fields.String:
    return ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=length)
    )


class ConversionSchema(ma.Schema):
    """A conversion; a partner token sees which partner it came through only when that is
    itself (never another partner's id)."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    occurred_at = UTCDateTimeField()
    partner_id = ma.fields.Integer(allow_none=True)
    campaign_id = ma.fields.Integer(allow_none=True)
    webinar_id = ma.fields.Integer(allow_none=True)
    utm_source = ma.fields.String(allow_none=True)
    utm_medium = ma.fields.String(allow_none=True)
    utm_campaign = ma.fields.String(allow_none=True)

    @ma.post_dump
    def hide_other_partners(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        user = actor()
        if user.is_partner and data.get("partner_id") not in (None, user.partner_id):
            data["partner_id"] = None
        return data


class LeadSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    company = ma.fields.String()
    status = ma.fields.String()
    owner_partner_id = ma.fields.Integer(allow_none=True)
    owned_since = UTCDateTimeField(allow_none=True)
    protected_until = UTCDateTimeField(allow_none=True)
    created_at = UTCDateTimeField()
    first_payment_at = UTCDateTimeField(allow_none=True)
    crm_status_at = UTCDateTimeField(
        allow_none=True,
        metadata={"description": "the CRM's time of the state the status came from"},
    )
    won_amount = ma.fields.Method(
        "_won_amount",
        allow_none=True,
        metadata={
            "type": "string",
            "nullable": True,
            "description": "the won deal's amount (RUB); null for partner tokens",
        },
    )
    customer_since = UTCDateTimeField(allow_none=True)
    flags = ma.fields.Function(
        lambda lead: [flag.kind.value for flag in lead.flags],
        metadata={"description": "standing flags (e.g. self_referral): commissions are held"},
    )

    def _won_amount(self, lead: Lead) -> str | None:
        """The vendor's deal data stays the vendor's: partners see the status, not the sum."""
        user = g.get("api_user")
        if lead.won_amount is None or user is None or user.is_partner:
            return None
        return money_str(lead.won_amount)


class LeadDetailSchema(LeadSchema):
    conversions = ma.fields.List(ma.fields.Nested(ConversionSchema))


class LeadCreateSchema(InputSchema):
    email = _text(254)
    phone = _text(40)
    name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    company = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    utm_source = _text(200)
    utm_medium = _text(200)
    utm_campaign = _text(200)
    utm_content = _text(200)
    utm_term = _text(200)
    cmclid = _text(64)
    occurred_at = UTCDateTimeField(load_default=None, allow_none=True)


class LeadListArgsSchema(InputSchema, ListArgsSchema):
    search = ma.fields.String(data_key="q", validate=ma.validate.Length(max=100))
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in LeadStatus]))
    owner_partner_id = IdField(strict=False)
    flagged = ma.fields.Boolean()
    created_from = DayField(data_key="from")
    created_to = DayField(data_key="to")


def visible_lead(lead_id: int) -> Lead:
    return visible(Lead, lead_id, _("Lead not found."))


@blp.route("")
class Leads(MethodView):
    @collection(blp, LeadListArgsSchema, LeadSchema, "LeadList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List leads (a partner token: the leads it owns)."""
        return list_page(leads_query, actor(), Lead.id, args)

    @idempotent
    @intake_allowed
    @blp.arguments(LeadCreateSchema)
    @blp.response(201, LeadSchema)
    @blp.alt_response(200, schema=LeadSchema, description="The person was already known")
    @blp.alt_response(
        202, schema=AcceptedSchema, description="An intake token's answer, new or known person"
    )
    @blp.alt_response(
        409, schema=ErrorSchema, description="A request with this Idempotency-Key is in progress"
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Take in a lead: 201 for a new person, 200 for a known one (another conversion);
        an intake token gets 202 either way and learns nothing of the person."""
        user = actor()
        intake = g.api_token.scope is TokenScope.INTAKE
        if not (can(user, Permission.PLAN) or intake):
            raise Forbidden("Your role does not allow this action.")
        submission = Submission(
            kind=ConversionKind.API, utm=take_utm(data), trusted=not intake, **data
        )
        if intake:
            return answer(lambda: record_submission(submission), lambda _: accepted())
        return answer(
            lambda: record_submission(submission),
            lambda result: created_or_known(result.lead, result.created),
        )


@blp.route("/<int:lead_id>")
class LeadById(MethodView):
    @blp.response(200, LeadDetailSchema)
    def get(self, lead_id: int) -> Lead:
        """One lead with its conversions."""
        return visible_lead(lead_id)


class FlagClearSchema(InputSchema):
    comment = ma.fields.String(required=True, validate=[ma.validate.Length(max=2000), not_blank])


@blp.route("/<int:lead_id>/flags/clear")
class LeadFlagsClear(MethodView):
    @blp.arguments(FlagClearSchema)
    @blp.response(200, LeadSchema)
    def post(self, data: dict[str, Any], lead_id: int) -> Lead:
        """A manager clears a lead's standing flags with a reason; its held commissions are
        approved when their holding period has passed, like everyone's."""
        manager = require(Permission.DECIDE)
        lead = visible_lead(lead_id)
        comment = data["comment"]
        answer(lambda: release_flagged(lead, comment=comment, cleared_by_id=manager.id))
        return lead
