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
    "calls",  # answered calls (contract §10), after the columns that were there first
    # The funnel (issue 18) ends the file, after the columns that were there first:
    # spreadsheets that read columns by position keep working.
    "working",
    "won",
    "lost",
    "win_rate",
    "median_days_to_customer",
)


class Ratio(ma.fields.Float):
    """A ratio or a sum of credits (already rounded to 4 places) as a JSON number; null when
    undefined."""


class Days(ma.fields.Float):
    """Days (already rounded to 1 place) as a JSON number; null when undefined."""


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
    calls = ma.fields.Integer(metadata={"description": "answered calls to tracking numbers"})
    leads = Ratio()
    customers = Ratio()
    revenue = Money()
    commissions = Money()
    spend_vendor = Money()
    spend_partner = Money()
    cpl = Money(allow_none=True)
    roi = Ratio(allow_none=True)
    working = Ratio(metadata={"description": "credits of the period's leads now working"})
    won = Ratio(
        metadata={
            "description": "credits of the period's leads that are customers now, whenever"
            " they became one (customers counts first payments in the period)"
        }
    )
    lost = Ratio(metadata={"description": "credits of the period's leads now lost"})
    win_rate = Ratio(
        allow_none=True, metadata={"description": "won / (won + lost); null when both are 0"}
    )
    median_days_to_customer = Days(
        allow_none=True,
        metadata={
            "description": "median whole days from creation to customer of the period's leads"
            " that are customers, each weighing its credit to the row (in the totals: its whole"
            " credit); null when there is none"
        },
    )


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
