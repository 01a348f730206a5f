"""``/api/v1/touchpoints``: offline touches (events, meetings, calls) reported for a person."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from comarketing.api.auth import api_blueprint, require
from comarketing.core.auth import Permission
from comarketing.core.schemas import IdField, InputSchema, UTCDateTimeField
from comarketing.core.writes import answer
from comarketing.leads.models import Touchpoint
from comarketing.leads.services.offline import record_offline_touch

blp = api_blueprint("api_touchpoints", __name__, "Offline touches that wait for the person.")


class TouchpointSchema(ma.Schema):
    id = ma.fields.Integer()
    lead_id = ma.fields.Integer(allow_none=True)
    email = ma.fields.String(allow_none=True)
    kind = ma.fields.String()
    channel = ma.fields.String(allow_none=True)
    occurred_at = UTCDateTimeField()
    partner_id = ma.fields.Integer(allow_none=True)
    campaign_id = ma.fields.Integer(allow_none=True)
    webinar_id = ma.fields.Integer(allow_none=True)


class TouchpointCreateSchema(InputSchema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    occurred_at = UTCDateTimeField(required=True)
    partner_id = IdField(required=True)
    campaign_id = IdField(load_default=None, allow_none=True)
    webinar_id = IdField(load_default=None, allow_none=True)
    kind = ma.fields.String(
        load_default="event",
        validate=ma.validate.Regexp(r"^[a-z_]{2,40}$", error="Use a-z and _, e.g. event."),
    )


@blp.route("")
class Touchpoints(MethodView):
    @blp.arguments(TouchpointCreateSchema)
    @blp.response(201, TouchpointSchema)
    def post(self, data: dict[str, Any]) -> Touchpoint:
        """Report an offline touch; it joins the person's lead now or when they convert."""
        require(Permission.PLAN)
        return answer(lambda: record_offline_touch(**data))
