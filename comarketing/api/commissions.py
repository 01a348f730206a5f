"""``/api/v1/commissions``: partners' commission lines (pending → approved → paid; reversed)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from comarketing.api.auth import actor, api_blueprint
from comarketing.api.collections import collection
from comarketing.api.payments import CommissionSchema
from comarketing.commissions.models import Commission, CommissionStatus
from comarketing.commissions.queries import commissions_query
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import DayField, IdField, InputSchema

blp = api_blueprint("api_commissions", __name__, "Partners' commission lines.")


class CommissionListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = IdField(strict=False)
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in CommissionStatus]))
    created_from = DayField(data_key="from")
    created_to = DayField(data_key="to")


@blp.route("")
class Commissions(MethodView):
    @collection(blp, CommissionListArgsSchema, CommissionSchema, "CommissionList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Commission lines (a partner token: its own), newest last."""
        return list_page(commissions_query, actor(), Commission.id, args)
