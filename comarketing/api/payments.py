"""``/api/v1/payments``: clients' payments; the owner's commission follows at once."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from comarketing.api.auth import api_blueprint, require
from comarketing.commissions.models import PaymentSource
from comarketing.commissions.services import PaymentResult, record_payment
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission
from comarketing.core.idempotency import idempotent
from comarketing.core.schemas import IdField, InputSchema, MoneyField, RateField, UTCDateTimeField
from comarketing.core.writes import answer, created_or_known

blp = api_blueprint("api_payments", __name__, "Payments of clients; commissions follow.")


class CommissionSchema(ma.Schema):
    id = ma.fields.Integer()
    partner_id = ma.fields.Integer()
    lead_id = ma.fields.Integer()
    payment_id = ma.fields.Integer()
    amount = MoneyField()
    rate = RateField()
    status = ma.fields.String()
    created_at = UTCDateTimeField()
    approved_at = UTCDateTimeField(allow_none=True)
    paid_at = UTCDateTimeField(allow_none=True)


class PaymentSchema(ma.Schema):
    id = ma.fields.Integer()
    lead_id = ma.fields.Integer()
    amount = MoneyField()
    currency = ma.fields.String()
    paid_at = UTCDateTimeField()
    external_id = ma.fields.String(allow_none=True)
    commission = ma.fields.Nested(CommissionSchema, allow_none=True)


class PaymentCreateSchema(InputSchema):
    lead_id = IdField(required=True)
    amount = MoneyField(required=True)
    paid_at = UTCDateTimeField(required=True)
    external_id = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(min=1, max=100)
    )
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


@blp.route("")
class Payments(MethodView):
    @idempotent
    @blp.arguments(PaymentCreateSchema)
    @blp.response(201, PaymentSchema)
    @blp.alt_response(200, schema=PaymentSchema, description="external_id already recorded")
    @blp.alt_response(
        409, schema=ErrorSchema, description="A request with this Idempotency-Key is in progress"
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Record a payment (negative: refund); the owner's commission is computed at once."""
        require(Permission.PLAN)
        return answer(lambda: record_payment(**data, source=PaymentSource.API), payment_answer)


def payment_answer(result: PaymentResult) -> tuple[dict[str, Any], int]:
    """The payment with its commission: 201 when new, 200 when ``external_id`` was known."""
    fields = ("id", "lead_id", "amount", "currency", "paid_at", "external_id")
    body = {name: getattr(result.payment, name) for name in fields}
    return created_or_known(body | {"commission": result.commission}, result.created)
