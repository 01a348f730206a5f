"""A target's chart (pygal, inlined through ``core.charts``): the planned curve from the
baseline to the horizon, the actual line of the complete months, and the forecast continued
from the last of them, dotted."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pygal
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from comarketing.core import charts
from comarketing.goals.months import add_months
from comarketing.goals.progress import Progress

TARGET_CHART = "goals-target-chart"
CHART_IDS = (TARGET_CHART,)
LARGEST = Decimal(10) ** 15  # a forecast past this is off any sensible chart


def _point(value: Decimal | None) -> float | None:
    if value is None or abs(value) > LARGEST:
        return None
    return float(value)


def _chart(
    labels: Sequence[str],
    actual: Sequence[float | None],
    plan: Sequence[float | None],
    forecast: Sequence[float | None],
) -> pygal.Line:
    chart = pygal.Line(
        **charts.BASE_OPTIONS,
        width=720,
        height=280,
        show_dots=False,
        x_label_rotation=30 if len(labels) > 12 else 0,
        x_labels_major_every=max(1, len(labels) // 12),
        show_minor_x_labels=False,
        value_formatter=lambda value: format_decimal(value, "#,##0.##"),
    )
    chart.x_labels = list(labels)
    # Series in the style's colour order: the actual line blue, the plan grey, the forecast
    # green and dotted (its stroke is in the stylesheet, keyed to its index).
    chart.add(_("Actual"), list(actual), show_dots=True, stroke_style={"width": 3})
    chart.add(_("Plan"), list(plan), stroke_style={"width": 2})
    chart.add(_("Forecast"), list(forecast), stroke_style={"dasharray": "3, 5", "width": 2})
    return chart


charts.register_chart(TARGET_CHART, lambda: _chart(["a", "b"], [1, 2], [1, 2], [None, 2]))


def target_chart(progress: Progress) -> Markup:
    """Months 0 (the baseline) to the horizon of ``progress``'s target."""
    target = progress.target
    labels = [_("baseline")] + [
        format_date(add_months(target.starts_on, t - 1), "LLL y")
        for t in range(1, target.horizon_months + 1)
    ]
    actual: list[Decimal | None] = [progress.baseline] + [None] * target.horizon_months
    for month in progress.months:
        actual[month.index] = month.actual
    chart = _chart(
        labels,
        [_point(value) for value in actual],
        [_point(value) for value in progress.planned_curve()],
        [_point(value) for value in progress.forecast_curve()],
    )
    return charts.inline_svg(chart, TARGET_CHART, _("Actual, plan and forecast per month"))
