"""``/api/v1/commission-plans`` (contract §11): how each product pays — a flat rate on each
payment, or brackets on a partner's monthly total, closed by ``commissions close-month``."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import select

from comarketing.api.auth import api_blueprint, require
from comarketing.commissions.models import CommissionPlan, PlanBasis
from comarketing.commissions.plans import PRODUCT, create_plan
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission
from comarketing.core.schemas import InputSchema, MoneyField, RateField, UTCDateTimeField
from comarketing.core.writes import answer
from comarketing.extensions import db

blp = api_blueprint("api_commission_plans", __name__, "Commission plans per product.")


class CommissionBracketSchema(InputSchema):
    start = MoneyField(
        data_key="from", required=True, validate=ma.validate.Range(min=0), metadata={}
    )
    rate = RateField(required=True)


class CommissionPlanSchema(ma.Schema):
    id = ma.fields.Integer()
    product = ma.fields.String()
    basis = ma.fields.String(metadata={"enum": [basis.value for basis in PlanBasis]})
    rate = RateField(allow_none=True)
    brackets = ma.fields.List(
        ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String()), allow_none=True
    )
    months = ma.fields.Integer(allow_none=True)
    created_at = UTCDateTimeField()


class CommissionPlanCreateSchema(InputSchema):
    product = ma.fields.String(
        required=True, validate=ma.validate.Regexp(PRODUCT, error="Use 2–40 of a-z, 0-9 and _.")
    )
    basis = ma.fields.String(
        load_default=PlanBasis.PAYMENT.value,
        validate=ma.validate.OneOf([basis.value for basis in PlanBasis]),
    )
    rate = RateField(load_default=None, allow_none=True)
    brackets = ma.fields.List(
        ma.fields.Nested(CommissionBracketSchema),
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(min=1, max=20),
    )
    months = ma.fields.Integer(
        load_default=None, allow_none=True, validate=ma.validate.Range(min=1, max=120)
    )


class CommissionPlanListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CommissionPlanSchema), required=True)
    next = ma.fields.String(allow_none=True, required=True)


@blp.route("")
class CommissionPlans(MethodView):
    @blp.response(200, CommissionPlanListSchema)
    def get(self) -> dict[str, Any]:
        """Every product's plan (partners read them too: they are the program's terms)."""
        plans = db.session.scalars(select(CommissionPlan).order_by(CommissionPlan.product)).all()
        return {"items": plans, "next": None}

    @blp.arguments(CommissionPlanCreateSchema)
    @blp.response(201, CommissionPlanSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="The product has a plan already")
    def post(self, data: dict[str, Any]) -> CommissionPlan:
        """Add a product's plan (managers)."""
        require(Permission.DECIDE)
        brackets = data.pop("brackets")
        raw = (
            [{"from": str(b["start"]), "rate": str(b["rate"])} for b in brackets]
            if brackets
            else None
        )
        return answer(lambda: create_plan(**data, brackets=raw))
