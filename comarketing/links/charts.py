"""Clicks per day as an SVG bar chart (pygal), inlined into the page server-side through
``core.charts`` (no inline script or style; the stylesheet is served by ``chart_css``)."""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from comarketing.core import charts
from comarketing.links.queries import DayClicks

CHART_ID = "links-daily-chart"


def _chart(labels: Sequence[str], humans: Sequence[int], bots: Sequence[int]) -> pygal.StackedBar:
    chart = pygal.StackedBar(
        **charts.BASE_OPTIONS,
        width=960,
        height=280,
        show_minor_x_labels=False,
        x_labels_major_count=10,
        min_scale=1,
        max_scale=6,
        print_values=False,
    )
    chart.x_labels = list(labels)
    chart.add(_("Human clicks"), list(humans))
    chart.add(_("Bot clicks"), list(bots))
    return chart


charts.register_chart(CHART_ID, lambda: _chart(["a", "b"], [1, 2], [0, 1]))


def clicks_chart_svg(days: Sequence[DayClicks]) -> Markup:
    """The inline ``<svg>`` of human and bot clicks per UTC day."""
    labels = [format_date(day.day, "d MMM") for day in days]
    chart = _chart(labels, [d.clicks for d in days], [d.bot_clicks for d in days])
    return charts.inline_svg(chart, CHART_ID, _("Clicks per day"), "links-chart")


def chart_css() -> str:
    """The stylesheet of every clicks chart (pygal's, for ``#links-daily-chart``)."""
    return charts.chart_css(CHART_ID)
