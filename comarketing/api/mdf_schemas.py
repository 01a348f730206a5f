"""Schemas of ``/api/v1/mdf``: money as decimal strings (RUB), dates ``YYYY-MM-DD``."""

from __future__ import annotations

import marshmallow as ma

from comarketing.api.links import LinkSchema
from comarketing.api.spend import SpendSchema
from comarketing.campaigns.channels import CHANNELS
from comarketing.core.paging import ListArgsSchema
from comarketing.core.schemas import (
    DayField,
    IdField,
    InputSchema,
    MoneyField,
    UTCDateTimeField,
    not_blank,
)
from comarketing.mdf.models import MdfDecisionKind, MdfStatus


class DecisionSchema(ma.Schema):
    id = ma.fields.Integer()
    decision = ma.fields.String()
    comment = ma.fields.String()
    approved_amount = MoneyField(allow_none=True)
    decided_by_id = ma.fields.Integer(allow_none=True)
    decided_at = UTCDateTimeField()


class ClaimSchema(ma.Schema):
    id = ma.fields.Integer()
    request_id = ma.fields.Integer()
    actual_cost = MoneyField()
    comment = ma.fields.String()
    clicks = ma.fields.Integer(metadata={"description": "human clicks on the funded link"})
    leads = ma.fields.Integer(metadata={"description": "leads that came back through it"})
    cpl = MoneyField(allow_none=True, metadata={"description": "actual_cost / leads"})
    planned_leads = ma.fields.Integer()
    required_leads = ma.fields.Integer(
        metadata={"description": "ceil(planned_leads × MDF_MIN_LEAD_RETURN)"}
    )
    reimbursable_amount = MoneyField(
        metadata={"description": "min(approved_amount, actual_cost × MDF_REIMBURSEMENT_SHARE)"}
    )
    created_at = UTCDateTimeField()
    reimbursed_at = UTCDateTimeField(allow_none=True)
    reimbursed_by_id = ma.fields.Integer(allow_none=True)
    override_reason = ma.fields.String(allow_none=True)
    spend_id = ma.fields.Integer(allow_none=True)


class RequestSchema(ma.Schema):
    id = ma.fields.Integer()
    partner_id = ma.fields.Integer()
    budget_id = ma.fields.Integer(allow_none=True)
    activity = ma.fields.String()
    channel = ma.fields.String()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    planned_cost = MoneyField()
    requested_amount = MoneyField()
    planned_leads = ma.fields.Integer()
    landing_url = ma.fields.String()
    status = ma.fields.String()
    approved_amount = MoneyField(allow_none=True)
    campaign_id = ma.fields.Integer(allow_none=True)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()


class RequestDetailSchema(RequestSchema):
    link = ma.fields.Nested(LinkSchema, allow_none=True)
    decisions = ma.fields.List(ma.fields.Nested(DecisionSchema))
    claim = ma.fields.Nested(ClaimSchema, allow_none=True)


class RequestChangeSchema(InputSchema):
    """The terms of a request: asked anew when a returned request is sent again."""

    activity = ma.fields.String(
        required=True, validate=[ma.validate.Length(min=1, max=300), not_blank]
    )
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf(list(CHANNELS)))
    starts_on = DayField(required=True)
    ends_on = DayField(required=True)
    planned_cost = MoneyField(required=True)
    requested_amount = MoneyField(required=True)
    planned_leads = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=10_000_000)
    )
    landing_url = ma.fields.String(required=True, validate=ma.validate.Length(max=2048))


class RequestCreateSchema(RequestChangeSchema):
    partner_id = IdField(load_default=None, allow_none=True, metadata={"description": "staff"})


class RequestListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = IdField(strict=False)
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in MdfStatus]))


class DecisionCreateSchema(InputSchema):
    decision = ma.fields.String(
        required=True, validate=ma.validate.OneOf([d.value for d in MdfDecisionKind])
    )
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    approved_amount = MoneyField(load_default=None, allow_none=True)


class ClaimCreateSchema(InputSchema):
    actual_cost = MoneyField(required=True)
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class ReimburseSchema(InputSchema):
    override = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": "why to pay although too few leads came back"},
    )


class ReimbursementSchema(SpendSchema):
    """The vendor spend row written, with the claim it pays."""

    claim = ma.fields.Nested(ClaimSchema)


class BudgetSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    partner_id = ma.fields.Integer(allow_none=True)
    tier = ma.fields.String(allow_none=True)
    allocated = MoneyField()
    reserved = MoneyField(metadata={"description": "approved, not yet paid"})
    claimed = MoneyField(metadata={"description": "of reserved: claimed, not yet paid"})
    paid = MoneyField()
    remaining = MoneyField(metadata={"description": "allocated − reserved − paid"})


class BudgetCreateSchema(InputSchema):
    name = ma.fields.String(required=True, validate=[ma.validate.Length(max=200), not_blank])
    period_start = DayField(required=True)
    period_end = DayField(required=True)
    amount = MoneyField(required=True)
    partner_id = IdField(load_default=None, allow_none=True)
    tier = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=20))


class BudgetListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = IdField(strict=False)
