"""``/api/v1/deal-registrations`` (contract §7): a partner registers a client it found and
learns where it stands — accepted, pending for a manager, or rejected (never whose client);
managers decide the pending ones."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, require
from comarketing.api.collections import collection
from comarketing.api.ownership import visible
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission
from comarketing.core.errors import Forbidden
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import IdField, InputSchema, UTCDateTimeField
from comarketing.core.writes import answer
from comarketing.leads.models import DealRegistration, DealStatus
from comarketing.leads.queries import deal_registrations_query
from comarketing.leads.services.deals import decide_deal, register_deal
from comarketing.partners.models import Partner

blp = api_blueprint("api_deals", __name__, "Deal registrations: partners claim clients.")


class DealSchema(ma.Schema):
    """A registration as its partner sees it: what it typed and the outcome; never the owner
    of a known person."""

    id = ma.fields.Integer()
    partner_id = ma.fields.Integer()
    status = ma.fields.String()
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    company = ma.fields.String()
    comment = ma.fields.String()
    created_at = UTCDateTimeField()
    decided_at = UTCDateTimeField(allow_none=True)
    decision_comment = ma.fields.String()


class DealCreateSchema(InputSchema):
    email = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=254)
    )
    phone = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=40)
    )
    name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    company = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class DealListArgsSchema(InputSchema, ListArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in DealStatus]))
    partner_id = IdField(strict=False)


class DealDecisionSchema(InputSchema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(["approve", "reject"]))
    comment = ma.fields.String(load_default="", validate=[ma.validate.Length(max=2000)])


@blp.route("")
class Deals(MethodView):
    @collection(blp, DealListArgsSchema, DealSchema, "DealRegistrationList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List deal registrations (a partner token: its own), newest first."""
        return list_page(deal_registrations_query, actor(), DealRegistration.id, args)

    @blp.arguments(DealCreateSchema)
    @blp.response(201, DealSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The partner is inactive")
    def post(self, data: dict[str, Any]) -> DealRegistration:
        """A partner registers a client: ``accepted`` (new to the vendor: the partner owns it
        now), ``pending`` (a known person without a protected owner: a manager decides) or
        ``rejected`` (another partner's protection holds)."""
        user = actor()
        if not user.is_partner or user.partner_id is None:
            raise Forbidden(_("Only a partner registers its deals."))
        partner = visible(Partner, user.partner_id, _("Partner not found."))
        result = answer(lambda: register_deal(partner, created_by_id=user.id, **data))
        return result.deal


@blp.route("/<int:deal_id>/decision")
class DealDecision(MethodView):
    @blp.arguments(DealDecisionSchema)
    @blp.response(200, DealSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Already decided")
    def post(self, data: dict[str, Any], deal_id: int) -> DealRegistration:
        """A manager approves (the partner owns the person, protected from now) or rejects
        (with a reason) a pending registration."""
        manager = require(Permission.DECIDE)
        deal = visible(DealRegistration, deal_id, _("Deal registration not found."))
        approve = data["decision"] == "approve"
        return answer(
            lambda: decide_deal(
                deal, approve=approve, comment=data["comment"], decided_by_id=manager.id
            )
        )
