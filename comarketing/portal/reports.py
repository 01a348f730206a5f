"""``/portal/reports``: the ROI report restricted to the partner's own rows (its touches,
registrations, links and spend share), by month and by campaign, with CSV."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from comarketing.core.time import utcnow
from comarketing.portal.access import partner
from comarketing.portal.blueprint import bp
from comarketing.reports import pages
from comarketing.reports.charts import CHART_IDS
from comarketing.reports.export import report_csv
from comarketing.reports.forms import GROUP_LABELS, PRESETS, STAFF_COLUMNS, ReportForm
from comarketing.reports.metrics import Scope
from comarketing.reports.roi import RoiReport, roi_report

CSV_GROUPS = ("month", "campaign", "webinar", "channel")
Page = str | tuple[str, int]


def _scope(form: ReportForm) -> Scope | None:
    """The form's scope, always narrowed to the current partner."""
    return form.scope(utcnow().date(), partner_id=partner().id)


@bp.get("/reports")
def reports() -> Page:
    form = ReportForm(request.args)
    scope = _scope(form)
    context = {"form": form, "presets": PRESETS, "columns": STAFF_COLUMNS, "partner": partner()}
    if scope is None:
        return render_template("portal/reports.html", errors=form.messages(), **context), 422
    page = pages.partner_page(scope)
    return render_template(
        "portal/reports.html",
        errors=[],
        page=page,
        chart_ids=CHART_IDS[:1],
        csv_args={k: v for k, v in form.link_args(exact=True).items() if k != "group_by"},
        csv_groups={group: GROUP_LABELS[group] for group in CSV_GROUPS},
        **context,
    )


@bp.get("/reports.csv")
def reports_csv() -> Response | Page:
    """The partner's report as CSV, grouped as asked (the page links month, campaign, webinar
    and channel): rows, then a total line."""
    form = ReportForm(request.args)
    scope = _scope(form)
    if scope is None:
        context = {"form": form, "presets": PRESETS, "columns": STAFF_COLUMNS, "partner": partner()}
        return render_template("portal/reports.html", errors=form.messages(), **context), 422
    report = roi_report(scope)
    return report_csv(RoiReport(report.scope, pages.in_order(report), report.totals))
