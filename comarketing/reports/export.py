"""The ROI report as the outside world reads it: figures formatted once (money as decimal
strings with 2 places, credits and ratios as numbers) for the JSON API, and the CSV that the
API, the dashboard and the partner portal all download."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response

from comarketing.core.csv_export import csv_response
from comarketing.core.schemas import MONEY_PATTERN
from comarketing.reports.roi import RoiReport, RoiRow

CSV_FIELDS = (
    "key",
    "label",
    "clicks",
    "registrations",
    "attendees",
    "leads",
    "customers",
    "revenue",
    "commissions",
    "spend_vendor",
    "spend_partner",
    "cpl",
    "roi",
)


class Ratio(ma.fields.Float):
    """A ratio or a sum of credits (already rounded to 4 places) as a JSON number; null when
    undefined."""


class Money(ma.fields.String):
    """Roubles as a decimal string with 2 places."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(metadata={"format": "decimal", "pattern": MONEY_PATTERN}, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else f"{value:.2f}"


class RoiFiguresSchema(ma.Schema):
    clicks = ma.fields.Integer()
    registrations = ma.fields.Integer()
    attendees = ma.fields.Integer()
    leads = Ratio()
    customers = Ratio()
    revenue = Money()
    commissions = Money()
    spend_vendor = Money()
    spend_partner = Money()
    cpl = Money(allow_none=True)
    roi = Ratio(allow_none=True)


def report_csv(report: RoiReport) -> Response:
    """The report's rows in their order, then the totals line (its key empty)."""

    def values(row: RoiRow, key: Any, label: str) -> list[Any]:
        data = RoiFiguresSchema().dump(row)
        return [key, label, *(data[name] for name in CSV_FIELDS[2:])]

    rows = [values(row, row.key, row.label) for row in report.rows]
    rows.append(values(report.totals, "", report.totals.label))
    scope = report.scope
    name = f"roi-{scope.group_by}-{scope.model}-{scope.period.start}-{scope.period.end}.csv"
    return csv_response(CSV_FIELDS, rows, name)
