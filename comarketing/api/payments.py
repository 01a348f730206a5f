"""``/api/v1/payments``: clients' payments; the owner's commission follows at once."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from comarketing.api.auth import api_blueprint, require
from comarketing.commissions.models import DEFAULT_PRODUCT, PaymentSource
from comarketing.commissions.plans import PRODUCT
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
    lead_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "null for a monthly line of a product"}
    )
    payment_id = ma.fields.Integer(allow_none=True)
    amount = MoneyField()
    rate = RateField()
    product = ma.fields.String()
    period = ma.fields.String(
        allow_none=True, metadata={"description": "YYYY-MM a monthly line is for"}
    )
    closed_in = ma.fields.String(
        allow_none=True, metadata={"description": "YYYY-MM of the close that wrote it"}
    )
    basis = MoneyField(
        allow_none=True, metadata={"description": "the monthly total its bracket applied to"}
    )
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
    product = ma.fields.String()
    commission = ma.fields.Nested(CommissionSchema, allow_none=True)


class PaymentCreateSchema(InputSchema):
    lead_id = IdField(required=True)
    amount = MoneyField(required=True)
    paid_at = UTCDateTimeField(required=True)
    external_id = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(min=1, max=100)
    )
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    product = ma.fields.String(
        load_default=DEFAULT_PRODUCT,
        validate=ma.validate.Regexp(PRODUCT, error="Use 2–40 of a-z, 0-9 and _."),
        metadata={"description": "software (default), telephony, …: its commission plan applies"},
    )


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
