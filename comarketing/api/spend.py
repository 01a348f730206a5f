"""``/api/v1/spend``: money (RUB) spent on campaigns and webinars."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from comarketing.api.auth import api_blueprint, require
from comarketing.core.auth import Permission
from comarketing.core.schemas import DayField, IdField, InputSchema, MoneyField, UTCDateTimeField
from comarketing.core.writes import answer
from comarketing.spend.models import PaidBy, Spend, SpendSource
from comarketing.spend.services import record_spend

blp = api_blueprint("api_spend", __name__, "Money spent on campaigns and webinars.")


class SpendSchema(ma.Schema):
    id = ma.fields.Integer()
    amount = MoneyField()
    spent_on = ma.fields.Date()
    paid_by = ma.fields.String()
    campaign_id = ma.fields.Integer(allow_none=True)
    webinar_id = ma.fields.Integer(allow_none=True)
    partner_id = ma.fields.Integer(allow_none=True)
    note = ma.fields.String()
    source = ma.fields.String()
    created_at = UTCDateTimeField()


class SpendCreateSchema(InputSchema):
    amount = MoneyField(required=True)
    spent_on = DayField(required=True)
    paid_by = ma.fields.String(required=True, validate=ma.validate.OneOf([p.value for p in PaidBy]))
    campaign_id = IdField(load_default=None, allow_none=True)
    webinar_id = IdField(load_default=None, allow_none=True)
    partner_id = IdField(load_default=None, allow_none=True)
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


@blp.route("")
class SpendCollection(MethodView):
    @blp.arguments(SpendCreateSchema)
    @blp.response(201, SpendSchema)
    def post(self, data: dict[str, Any]) -> Spend:
        """Record spend (RUB) on one campaign or one webinar."""
        user = require(Permission.PLAN)
        return answer(lambda: record_spend(**data, source=SpendSource.API, created_by_id=user.id))
