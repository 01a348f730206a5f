"""What the report pages show, assembled from ROI reports: KPI tiles with growth against the
previous period, the dashboard's charts, the per-webinar rows. No SQL of its own beyond the
reports' (and ``queries``')."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from comarketing.attribution.rules import MODELS
from comarketing.core.time import utcnow
from comarketing.reports import charts, metrics
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period
from comarketing.reports.queries import HeldWebinar, webinars_held
from comarketing.reports.roi import RoiReport, RoiRow, roi_report

CHART_PARTNERS = 12  # partners on the dashboard's charts, the busiest first


@dataclass(frozen=True)
class Kpi:
    name: str  # the RoiRow figure
    label: Any  # lazy string
    value: Decimal | None
    kind: str  # "money", "credits" or "ratio": how the template formats it
    # Change against the previous period as a fraction (−0.5: −50 %); for ROI, itself a
    # ratio that can be negative, the difference in percentage points (0.3: +30 p.p.).
    growth: Decimal | None
    lower_is_better: bool = False  # costs: a fall is good news

    @property
    def in_points(self) -> bool:
        return self.kind == "ratio"


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(current − previous) / |previous|; None when either is missing or previous is 0."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


def points(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """current − previous, for ratios; None when either is missing."""
    if current is None or previous is None:
        return None
    return current - previous


def in_order(report: RoiReport) -> list[RoiRow]:
    """The rows as pages show them before any sort: months in calendar order, other
    dimensions the report's own (the busiest first), the unattributed row last."""
    if not report.scope.dimension.chronological:
        return list(report.rows)
    return sorted(report.rows, key=lambda row: (row.key is None, str(row.key)))


def kpis(current: RoiRow, previous: RoiRow) -> list[Kpi]:
    """The tiles of a report's totals: spend, leads, CPL, customers, revenue, commissions, ROI;
    each shown rounded, its growth computed from the unrounded figures."""
    tiles = (
        ("spend_vendor", _l("Vendor spend"), "money", True),
        ("leads", _l("Leads"), "credits", False),
        ("cpl", _l("Cost per lead"), "money", True),
        ("customers", _l("Customers"), "credits", False),
        ("revenue", _l("Revenue"), "money", False),
        ("commissions", _l("Commissions"), "money", False),
        ("roi", _l("ROI"), "ratio", False),
    )
    return [
        Kpi(
            name=name,
            label=label,
            value=getattr(current, name),
            kind=kind,
            growth=(points if kind == "ratio" else growth)(
                current.unrounded(name), previous.unrounded(name)
            ),
            lower_is_better=costly,
        )
        for name, label, kind, costly in tiles
    ]


def regrouped(report: RoiReport, group_by: str) -> RoiReport:
    """The report of the same scope grouped by ``group_by`` for a chart (no funnel):
    ``report`` itself when it is."""
    scope = replace(report.scope, group_by=group_by)
    return report if scope == report.scope else roi_report(scope, funnel=False)


@dataclass(frozen=True)
class Dashboard:
    report: RoiReport
    previous: RoiReport
    kpis: list[Kpi]
    monthly_chart: Markup
    roi_chart: Markup | None
    models_chart: Markup | None


def _busiest(rows: list[RoiRow]) -> list[RoiRow]:
    partners = [row for row in rows if row.key is not None]
    return sorted(partners, key=lambda r: (-r.leads, -r.spend_vendor, r.label))[:CHART_PARTNERS]


def dashboard(scope: Scope) -> Dashboard:
    """The report of ``scope``, the same for the previous period (growth), by month and by
    partner (charts, reused when ``scope`` is grouped so), and each model's leads per partner."""
    report = roi_report(scope)
    compared = scope.period.previous(utcnow().date())
    previous = roi_report(replace(scope, period=compared), funnel=False)
    by_month, by_partner = regrouped(report, "month"), regrouped(report, "partner")
    partners = _busiest(by_partner.rows)
    leads = {
        model: {
            key: Decimal(str(value or 0))
            for key, (value,) in metrics.leads(
                replace(scope, group_by="partner", model=model)
            ).items()
        }
        for model in MODELS
    }
    return Dashboard(
        report=report,
        previous=previous,
        kpis=kpis(report.totals, previous.totals),
        monthly_chart=charts.monthly_chart(scope.period, by_month.rows),
        roi_chart=charts.roi_chart(partners),
        models_chart=charts.models_chart(partners, leads),
    )


@dataclass(frozen=True)
class PartnerPage:
    by_month: RoiReport
    months: list[RoiRow]  # by_month's rows in calendar order
    by_campaign: RoiReport
    kpis: list[Kpi]
    monthly_chart: Markup
    compared: Period  # the period the KPIs' growth is measured against


def partner_page(scope: Scope) -> PartnerPage:
    """One partner's report (``scope.partner_id``) by month and by campaign, with its KPIs."""
    by_month = roi_report(replace(scope, group_by="month"))
    by_campaign = roi_report(replace(scope, group_by="campaign"))
    compared = scope.period.previous(utcnow().date())
    previous = roi_report(replace(scope, group_by="month", period=compared), funnel=False)
    return PartnerPage(
        by_month=by_month,
        months=in_order(by_month),
        by_campaign=by_campaign,
        kpis=kpis(by_month.totals, previous.totals),
        monthly_chart=charts.monthly_chart(scope.period, by_month.rows),
        compared=compared,
    )


@dataclass(frozen=True)
class WebinarRow:
    webinar: HeldWebinar
    figures: RoiRow  # leads, customers, revenue, vendor spend credited to the webinar


def webinar_rows(scope: Scope) -> tuple[list[WebinarRow], RoiRow]:
    """One row per webinar held in the period, with the period's figures of a report grouped
    by webinar; and their totals (registrations and attendees are the webinars' own)."""
    report = roi_report(replace(scope, group_by="webinar"), funnel=False)
    figures = {row.key: row for row in report.rows}
    rows = [
        WebinarRow(held, figures.get(held.id) or RoiRow(key=held.id, label=held.title))
        for held in webinars_held(scope.period)
    ]
    totals = replace(
        RoiRow.total([row.figures for row in rows], ""),
        registrations=sum(row.webinar.registrations for row in rows),
        attendees=sum(row.webinar.attendees for row in rows),
    )
    return rows, totals
