"""``/api/v1/campaigns``: co-funded campaigns with partners' cost shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, require
from comarketing.api.collections import collection
from comarketing.api.ownership import visible
from comarketing.campaigns import services
from comarketing.campaigns.channels import CHANNEL_PATTERN
from comarketing.campaigns.models import Campaign
from comarketing.campaigns.queries import campaigns_query
from comarketing.core.auth import Permission
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import (
    DayField,
    IdField,
    InputSchema,
    MoneyField,
    RateField,
    UTCDateTimeField,
    not_blank,
)
from comarketing.core.writes import answer

blp = api_blueprint("api_campaigns", __name__, "Co-funded campaigns with partners.")


class PartnerShareSchema(ma.Schema):
    partner_id = IdField(required=True)
    cost_share = RateField(allow_none=True)


class CampaignSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()
    channel = ma.fields.String()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    budget = MoneyField()
    description = ma.fields.String()
    landing_url = ma.fields.String(allow_none=True)
    landing_hosts = ma.fields.Method(
        "hosts", metadata={"type": "array", "items": {"type": "string"}}
    )
    partners = ma.fields.List(ma.fields.Nested(PartnerShareSchema))
    created_at = UTCDateTimeField()

    def hosts(self, campaign: Campaign) -> list[str]:
        return campaign.landing_hosts.split()

    @ma.post_dump
    def own_share_only(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """A partner token sees its own cost share, never who else co-funds the campaign."""
        user = actor()
        if user.is_partner:
            data["partners"] = [
                p for p in data.get("partners", []) if p["partner_id"] == user.partner_id
            ]
        return data


class CampaignCreateSchema(InputSchema):
    name = ma.fields.String(required=True, validate=[ma.validate.Length(max=200), not_blank])
    channel = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(CHANNEL_PATTERN.pattern, error="Use a-z, 0-9, _."),
    )
    starts_on = DayField(required=True)
    ends_on = DayField(required=True)
    budget = MoneyField(load_default=None, validate=ma.validate.Range(min=0))
    partners = ma.fields.List(ma.fields.Nested(PartnerShareSchema), load_default=list)
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    landing_url = ma.fields.String(load_default=None, allow_none=True)
    landing_hosts = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=253)), load_default=list
    )


class CampaignListArgsSchema(InputSchema, ListArgsSchema):
    channel = ma.fields.String()
    partner_id = IdField(strict=False)
    active_on = DayField()
    search = ma.fields.String(data_key="q", validate=ma.validate.Length(max=100))


def visible_campaign(campaign_id: int) -> Campaign:
    return visible(Campaign, campaign_id, _("Campaign not found."))


def shares(data: dict[str, Any]) -> list[services.PartnerShare]:
    return [
        services.PartnerShare(item["partner_id"], item.get("cost_share"))
        for item in data.get("partners", [])
    ]


@blp.route("")
class Campaigns(MethodView):
    @collection(blp, CampaignListArgsSchema, CampaignSchema, "CampaignList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List campaigns (a partner token: the ones it takes part in)."""
        return list_page(campaigns_query, actor(), Campaign.id, args)

    @blp.arguments(CampaignCreateSchema)
    @blp.response(201, CampaignSchema)
    def post(self, data: dict[str, Any]) -> Campaign:
        """Plan a campaign; shares are the partners' part of its spend (default equal)."""
        user = require(Permission.PLAN)
        return answer(
            lambda: services.create_campaign(
                name=data["name"],
                channel=data["channel"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                budget=data["budget"] or Decimal(0),
                partners=shares(data),
                description=data["description"],
                landing_url=data["landing_url"],
                landing_hosts=" ".join(data["landing_hosts"]),
                created_by_id=user.id,
            )
        )


@blp.route("/<int:campaign_id>")
class CampaignById(MethodView):
    @blp.response(200, CampaignSchema)
    def get(self, campaign_id: int) -> Campaign:
        """One campaign."""
        return visible_campaign(campaign_id)
