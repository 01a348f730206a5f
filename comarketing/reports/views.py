"""``/reports``: the co-marketing ROI dashboard, the leads behind each of its rows, the
per-webinar and per-partner reports, and the CSV of what the dashboard shows."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from comarketing.core import charts as core_charts
from comarketing.core.auth import staff_required
from comarketing.core.schemas import INT32_MAX
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.reports import pages, queries
from comarketing.reports.charts import CHART_IDS
from comarketing.reports.export import report_csv
from comarketing.reports.forms import (
    MODEL_LABELS,
    PRESETS,
    STAFF_COLUMNS,
    ReportForm,
    Sort,
)
from comarketing.reports.roi import RoiReport, roi_report

bp = Blueprint("reports", __name__, url_prefix="/reports")
LEADS_PAGE_SIZE = 100
MAX_PAGE = 100_000

Page = str | tuple[str, int]


def _form() -> ReportForm:
    return ReportForm(request.args)


def _invalid(template: str, form: ReportForm, **context: Any) -> tuple[str, int]:
    """The page with the filter and what is wrong with it, and no figures."""
    return render_template(template, form=form, errors=form.messages(), **context), 422


def _partner(partner_id: int) -> Partner | None:
    """The partner of a ``partner`` query argument; None for an id no partner can have."""
    return db.session.get(Partner, partner_id) if 0 < partner_id <= INT32_MAX else None


def _shared(form: ReportForm) -> dict[str, Any]:
    return {"form": form, "presets": PRESETS, "columns": STAFF_COLUMNS, "errors": []}


@bp.get("")
@staff_required()
def index() -> Page:
    form = _form()
    scope = form.scope(utcnow().date())
    if scope is None:
        return _invalid("reports/index.html", form, presets=PRESETS, columns=STAFF_COLUMNS)
    sort = Sort.parse(request.args)
    dashboard = pages.dashboard(scope)
    return render_template(
        "reports/index.html",
        **_shared(form),
        dashboard=dashboard,
        rows=sort.apply(pages.in_order(dashboard.report)),
        sort=sort,
        csv_args={**form.link_args(exact=True), **sort.args()},
        group_label=scope.dimension.title,
        chart_ids=CHART_IDS,
    )


@bp.get("/roi.csv")
@staff_required()
def roi_csv() -> Response | Page:
    """The dashboard's table as CSV: the same rows in the same order, then the totals."""
    form = _form()
    scope = form.scope(utcnow().date())
    if scope is None:
        return _invalid("reports/index.html", form, presets=PRESETS, columns=STAFF_COLUMNS)
    report = roi_report(scope)
    rows = Sort.parse(request.args).apply(pages.in_order(report))
    return report_csv(RoiReport(report.scope, rows, report.totals))


@bp.get("/leads")
@staff_required()
def leads() -> Page:
    """The leads credited to one row of the report (``key``; ``none`` for unattributed)."""
    form = _form()
    partner_id = request.args.get("partner", type=int)
    scope = form.scope(utcnow().date(), partner_id=partner_id)
    key = request.args.get("key", "")
    if scope is not None and partner_id is not None and _partner(partner_id) is None:
        form.form_errors.append(_("Unknown partner."))
        scope = None
    if scope is not None and not key:
        form.form_errors.append(_("Choose a row of the report."))
        scope = None
    label = scope.dimension.row_label(key) if scope else None  # None: a key no row can have
    if scope is not None and label is None:
        form.form_errors.append(_("This row is not in the report."))
        scope = None
    if scope is None:
        return _invalid("reports/leads.html", form, presets=PRESETS)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    found = queries.credited_leads(
        scope, key, offset=(page - 1) * LEADS_PAGE_SIZE, limit=LEADS_PAGE_SIZE
    )
    return render_template(
        "reports/leads.html",
        **_shared(form),
        scope=scope,
        key=key,
        label=label,
        model_label=MODEL_LABELS[scope.model],
        partner=_partner(partner_id) if partner_id is not None else None,
        found=found,
        page=page,
        pages=max(1, math.ceil(found.count / LEADS_PAGE_SIZE)),
        page_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/webinars")
@staff_required()
def webinars() -> Page:
    """Every webinar held in the period: registrations, attendance, leads, money, cost."""
    form = _form()
    scope = form.scope(utcnow().date())
    if scope is None:
        return _invalid("reports/webinars.html", form, presets=PRESETS)
    rows, totals = pages.webinar_rows(scope)
    drill = {**form.link_args(exact=True), "group_by": "webinar"}
    return render_template(
        "reports/webinars.html", **_shared(form), rows=rows, totals=totals, drill=drill
    )


@bp.get("/partners/<int:partner_id>")
@staff_required()
def partner(partner_id: int) -> Page:
    """One partner's report by month and by campaign, with its KPIs."""
    partner = db.get_or_404(Partner, partner_id)
    form = _form()
    scope = form.scope(utcnow().date(), partner_id=partner.id)
    if scope is None:
        return _invalid("reports/partner.html", form, presets=PRESETS, partner=partner)
    page = pages.partner_page(scope)
    return render_template(
        "reports/partner.html",
        **_shared(form),
        partner=partner,
        page=page,
        chart_ids=CHART_IDS[:1],
    )


@bp.get("/charts/<chart_id>.css")
def chart_stylesheet(chart_id: str) -> Response:
    """The stylesheet of one kind of report chart (pygal's, moved out of the inline SVG)."""
    if chart_id not in CHART_IDS:
        abort(404)
    return core_charts.stylesheet(chart_id)
