"""``/api/v1/tiers`` and ``/api/v1/partners/{id}/tier-history`` (contract §11): the tiers
partners earn by rule, and every move of a partner between them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import select

from comarketing.api.auth import api_blueprint, require
from comarketing.api.partners import visible_partner
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission
from comarketing.core.schemas import InputSchema, MoneyField, RateField, UTCDateTimeField
from comarketing.core.writes import answer
from comarketing.extensions import db
from comarketing.tiers.models import Tier, TierMove
from comarketing.tiers.services import create_tier

blp = api_blueprint("api_tiers", __name__, "Partner tiers: criteria, benefits, moves.")

COUNT = ma.validate.Range(min=0, max=1_000_000)


class CriteriaSchema(InputSchema):
    customers_12m = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        validate=COUNT,
        metadata={"description": "paying clients owned in the last 12 months"},
    )
    revenue_12m = MoneyField(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Range(min=0),
        metadata={"description": "their payments in the last 12 months (RUB)"},
    )


class TierSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    rank = ma.fields.Integer()
    criteria = ma.fields.Method("_criteria", metadata={"type": "object"})
    commission_rate = RateField()
    mdf_share = RateField(allow_none=True)
    created_at = UTCDateTimeField()

    def _criteria(self, tier: Tier) -> dict[str, Any]:
        revenue = None if tier.revenue_12m is None else f"{tier.revenue_12m:.2f}"
        return {"customers_12m": tier.customers_12m, "revenue_12m": revenue}


class TierCreateSchema(InputSchema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    rank = ma.fields.Integer(required=True, validate=ma.validate.Range(min=-1000, max=1000))
    criteria = ma.fields.Nested(CriteriaSchema, load_default=dict)
    commission_rate = RateField(required=True)
    mdf_share = RateField(load_default=None, allow_none=True)


class TierListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(TierSchema), required=True)
    next = ma.fields.String(allow_none=True, required=True)


class TierMoveSchema(ma.Schema):
    id = ma.fields.Integer()
    partner_id = ma.fields.Integer()
    from_ = ma.fields.String(attribute="from_tier", data_key="from", allow_none=True)
    to = ma.fields.String(attribute="to_tier", allow_none=True)
    at = UTCDateTimeField()
    reason = ma.fields.String()
    customers_12m = ma.fields.Integer()
    revenue_12m = MoneyField()
    by_hand = ma.fields.Boolean()


class TierHistorySchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(TierMoveSchema), required=True)
    next = ma.fields.String(allow_none=True, required=True)


@blp.route("/tiers")
class Tiers(MethodView):
    @blp.response(200, TierListSchema)
    def get(self) -> dict[str, Any]:
        """Every tier, best first (partners read them too: they work towards the next)."""
        tiers = db.session.scalars(select(Tier).order_by(Tier.rank.desc())).all()
        return {"items": tiers, "next": None}

    @blp.arguments(TierCreateSchema)
    @blp.response(201, TierSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The name or the rank is taken")
    def post(self, data: dict[str, Any]) -> Tier:
        """Add a tier (managers): its criteria and its benefits."""
        require(Permission.DECIDE)
        criteria = data.pop("criteria") or {}
        return answer(lambda: create_tier(**data, **criteria))


@blp.route("/partners/<int:partner_id>/tier-history")
class TierHistory(MethodView):
    @blp.response(200, TierHistorySchema)
    def get(self, partner_id: int) -> dict[str, Any]:
        """The partner's moves between tiers, newest first (a partner: its own)."""
        partner = visible_partner(partner_id)
        moves = db.session.scalars(
            select(TierMove)
            .where(TierMove.partner_id == partner.id)
            .order_by(TierMove.at.desc(), TierMove.id.desc())
            .limit(500)
        ).all()
        return {"items": moves, "next": None}
