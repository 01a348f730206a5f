"""``/api/v1/partners``: list, read, create, change partners."""

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
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import InputSchema, RateField, UTCDateTimeField, not_blank
from comarketing.core.slugs import SLUG_PATTERN
from comarketing.core.writes import answer
from comarketing.partners import services
from comarketing.partners.models import Partner
from comarketing.partners.queries import partners_query
from comarketing.tiers.services import set_tier_by_hand

blp = api_blueprint("api_partners", __name__, "Partners (CRM integrators).")

SEGMENT = ma.validate.Regexp(r"^[a-z0-9_]{2,40}$", error="Use 2–40 of a-z, 0-9 and _.")


class PartnerSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True)
    slug = ma.fields.String()
    segment = ma.fields.String(required=True)
    tier = ma.fields.String(allow_none=True)
    tier_locked = ma.fields.Boolean(
        metadata={"description": "set by hand: `tiers evaluate` leaves it alone"}
    )
    email = ma.fields.Email(allow_none=True)
    commission_rate = RateField()
    mdf_share = RateField(allow_none=True, dump_only=True)
    active = ma.fields.Boolean()
    created_at = UTCDateTimeField(dump_only=True)


class PartnerCreateSchema(InputSchema):
    name = ma.fields.String(required=True, validate=[ma.validate.Length(max=200), not_blank])
    segment = ma.fields.String(required=True, validate=SEGMENT)
    slug = ma.fields.String(validate=ma.validate.Regexp(SLUG_PATTERN.pattern))
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=254))
    commission_rate = RateField()
    tier = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))


class PartnerUpdateSchema(PartnerCreateSchema):
    name = ma.fields.String(validate=[ma.validate.Length(max=200), not_blank])
    segment = ma.fields.String(validate=SEGMENT)
    active = ma.fields.Boolean()
    tier_locked = ma.fields.Boolean()


class PartnerListArgsSchema(InputSchema, ListArgsSchema):
    segment = ma.fields.String()
    tier = ma.fields.String()
    search = ma.fields.String(data_key="q", validate=ma.validate.Length(max=100))
    active = ma.fields.Boolean()


def visible_partner(partner_id: int) -> Partner:
    """The partner if the caller may see it; 404 otherwise (ids of others never leak)."""
    return visible(Partner, partner_id, _("Partner not found."))


@blp.route("")
class Partners(MethodView):
    @collection(blp, PartnerListArgsSchema, PartnerSchema, "PartnerList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the partners the caller may see."""
        return list_page(partners_query, actor(), Partner.id, args)

    @blp.arguments(PartnerCreateSchema)
    @blp.response(201, PartnerSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The slug is taken")
    def post(self, data: dict[str, Any]) -> Partner:
        """Add a partner; the slug is transliterated from the name when not given."""
        require(Permission.PLAN)
        return answer(lambda: services.create_partner(**data))


@blp.route("/<int:partner_id>")
class PartnerById(MethodView):
    @blp.response(200, PartnerSchema)
    def get(self, partner_id: int) -> Partner:
        """One partner."""
        return visible_partner(partner_id)

    @blp.arguments(PartnerUpdateSchema)
    @blp.response(200, PartnerSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="The slug is taken, or links already use it"
    )
    def patch(self, data: dict[str, Any], partner_id: int) -> Partner:
        """Change a partner; its slug only while no tracked link uses it."""
        user = require(Permission.PLAN)
        partner = visible_partner(partner_id)

        def change() -> Partner:
            if "tier" in data or "tier_locked" in data:
                set_tier_by_hand(
                    partner,
                    data.pop("tier", partner.tier),
                    locked=data.pop("tier_locked", partner.tier_locked),
                    note=_("set by %(who)s", who=user.email),
                )
            return services.update_partner(partner, data)

        return answer(change)
