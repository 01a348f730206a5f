"""The dashboard's charts (pygal, inlined through ``core.charts``): leads and vendor spend per
month, ROI per partner, and the partners' leads under each attribution model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pygal
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from comarketing.core import charts
from comarketing.reports.forms import MODEL_LABELS
from comarketing.reports.periods import Period, next_month
from comarketing.reports.roi import RoiRow

MONTHLY_CHART = "reports-monthly-chart"
ROI_CHART = "reports-roi-chart"
MODELS_CHART = "reports-models-chart"
CHART_IDS = (MONTHLY_CHART, ROI_CHART, MODELS_CHART)


def months_of(period: Period) -> list[date]:
    """The first day of every month the period touches."""
    month, months = period.start.replace(day=1), []
    while month <= period.end:
        months.append(month)
        month = next_month(month)
    return months


def _monthly(labels: Sequence[str], spend: Sequence[float], leads: Sequence[float]) -> pygal.Bar:
    chart = pygal.Bar(
        **charts.BASE_OPTIONS,
        width=720,
        height=300,
        min_scale=1,
        max_scale=6,
        value_formatter=lambda value: format_decimal(value, "#,##0.##"),
    )
    chart.x_labels = list(labels)
    chart.add(_("Vendor spend, RUB"), list(spend))
    chart.add(_("Leads (right scale)"), list(leads), secondary=True)
    return chart


def _roi(labels: Sequence[str], roi: Sequence[float | None]) -> pygal.HorizontalBar:
    chart = pygal.HorizontalBar(
        **charts.BASE_OPTIONS,
        width=720,
        height=max(160, 40 + 28 * len(labels)),
        show_legend=False,
        value_formatter=lambda value: format_percent(value / 100),
    )
    chart.x_labels = list(labels)
    chart.add(_("ROI"), list(roi))
    return chart


def _models(labels: Sequence[str], by_model: dict[str, list[float]]) -> pygal.Bar:
    chart = pygal.Bar(
        **charts.BASE_OPTIONS,
        width=960,
        height=320,
        x_label_rotation=20 if len(labels) > 6 else 0,
        value_formatter=lambda value: format_decimal(value, "#,##0.##"),
    )
    chart.x_labels = list(labels)
    for model, values in by_model.items():
        chart.add(str(MODEL_LABELS[model]), values)
    return chart


charts.register_chart(MONTHLY_CHART, lambda: _monthly(["a", "b"], [1, 2], [2, 1]))
charts.register_chart(ROI_CHART, lambda: _roi(["a", "b"], [10, -5]), max_height=480)
charts.register_chart(
    MODELS_CHART, lambda: _models(["a"], {m: [1] for m in MODEL_LABELS}), max_height=360
)


def monthly_chart(period: Period, rows: Sequence[RoiRow]) -> Markup:
    """Vendor spend (RUB, left scale) and leads (right scale) of every month of the period,
    from a report grouped by month; months without figures show as zero."""
    by_month = {row.key: row for row in rows if row.key is not None}
    months = months_of(period)
    empty = RoiRow(key=None, label="")
    picked = [by_month.get(month.strftime("%Y-%m"), empty) for month in months]
    chart = _monthly(
        [format_date(month, "LLL y") for month in months],
        [float(row.spend_vendor) for row in picked],
        [float(row.leads) for row in picked],
    )
    return charts.inline_svg(chart, MONTHLY_CHART, _("Leads and vendor spend per month"))


def roi_chart(rows: Sequence[RoiRow]) -> Markup | None:
    """ROI in % of the partners with vendor spend; None when no partner has any."""
    with_roi = [(row.label, row.roi) for row in rows if row.roi is not None]
    if not with_roi:
        return None
    chart = _roi(
        [label for label, _value in with_roi], [float(value * 100) for _name, value in with_roi]
    )
    return charts.inline_svg(chart, ROI_CHART, _("ROI per partner"))


def models_chart(rows: Sequence[RoiRow], leads: dict[str, dict[int, Decimal]]) -> Markup | None:
    """The leads credited to each partner of ``rows`` under each model, side by side;
    ``leads`` maps model → partner id → credits. None without partners."""
    partners = [row for row in rows if row.key is not None]
    if not partners:
        return None
    by_model = {
        model: [float(leads.get(model, {}).get(row.key, 0)) for row in partners]
        for model in MODEL_LABELS
    }
    chart = _models([row.label for row in partners], by_model)
    return charts.inline_svg(chart, MODELS_CHART, _("Leads per partner under each model"))
