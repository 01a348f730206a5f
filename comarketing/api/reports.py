"""``/api/v1/reports/roi``: the co-marketing ROI report as JSON or CSV (contract §6)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from comarketing.api.auth import actor, api_blueprint
from comarketing.attribution.rules import MODELS
from comarketing.core.schemas import DayField, InputSchema, check_period
from comarketing.core.time import utcnow
from comarketing.reports.dimensions import GROUPS
from comarketing.reports.export import RoiFiguresSchema, report_csv
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period
from comarketing.reports.roi import roi_report

blp = api_blueprint(
    "api_reports", __name__, "Co-marketing ROI: leads and their funnel, money, spend."
)

DEFAULT_DAYS = 90


class RoiArgsSchema(InputSchema):
    class Meta:
        unknown = ma.EXCLUDE

    group_by = ma.fields.String(load_default="partner", validate=ma.validate.OneOf(GROUPS))
    model = ma.fields.String(load_default="linear", validate=ma.validate.OneOf(MODELS))
    start = DayField(data_key="from", load_default=None)
    end = DayField(data_key="to", load_default=None)
    segment = ma.fields.String(load_default=None, validate=ma.validate.Length(max=40))
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv")))

    @ma.validates_schema
    def period_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ma.ValidationError("Must not be after 'to'.", field_name="from")
        check_period(data.get("start"), data.get("end"))


class RoiRowSchema(RoiFiguresSchema):
    key = ma.fields.Raw(
        allow_none=True, metadata={"description": "id, name or YYYY-MM; null: unattributed"}
    )
    label = ma.fields.String()


class RoiReportSchema(ma.Schema):
    rows = ma.fields.List(ma.fields.Nested(RoiRowSchema))
    totals = ma.fields.Nested(RoiFiguresSchema)


def scope_for(args: dict[str, Any]) -> Scope:
    """The report's scope for the caller: a partner user sees its own rows only."""
    today = utcnow().date()
    end = args.get("end") or today
    start = args.get("start") or min(end, today) - timedelta(days=DEFAULT_DAYS - 1)
    user = actor()
    return Scope(
        group_by=args["group_by"],
        model=args["model"],
        period=Period(start, end),
        partner_id=user.partner_id if user.is_partner else None,
        segment=args.get("segment"),
    )


@blp.route("/roi")
class Roi(MethodView):
    @blp.arguments(RoiArgsSchema, location="query")
    @blp.response(200, RoiReportSchema)
    @blp.alt_response(
        200,
        content_type="text/csv",
        schema={"type": "string"},
        description="The report: JSON, or with format=csv a spreadsheet (header, rows, total line)",
        success=True,
    )
    def get(self, args: dict[str, Any]) -> Any:
        """The ROI report; ``format=csv`` for a spreadsheet (rows, then a total line)."""
        report = roi_report(scope_for(args))
        if args["format"] == "csv":
            return report_csv(report)
        return {"rows": report.rows, "totals": report.totals}
