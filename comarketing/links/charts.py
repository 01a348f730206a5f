"""Clicks per day as an SVG bar chart (pygal), inlined into the page server-side.

pygal writes a ``<script>`` (its tooltip config), a ``<style>`` and a ``style`` attribute into
every chart. The pages run under a CSP without inline script or style, so they are taken out:
the script is dropped (the chart needs no JavaScript), and the stylesheet, which is the same
for every chart once the chart's random id is replaced by a fixed one, is served by
``chart_css`` as a file of its own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import cache

import pygal
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

from comarketing.links.queries import DayClicks

CHART_ID = "links-daily-chart"
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#495057",
    foreground_strong="#212529",
    foreground_subtle="#adb5bd",
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    colors=("#0d6efd", "#adb5bd"),
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
)


def _chart(labels: Sequence[str], humans: Sequence[int], bots: Sequence[int]) -> pygal.StackedBar:
    chart = pygal.StackedBar(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=960,
        height=280,
        show_minor_x_labels=False,
        x_labels_major_count=10,
        truncate_label=-1,
        legend_at_bottom=True,
        legend_box_size=10,
        margin=8,
        min_scale=1,
        max_scale=6,
        print_values=False,
        no_data_text="",
    )
    chart.x_labels = list(labels)
    chart.add(_("Human clicks"), list(humans))
    chart.add(_("Bot clicks"), list(bots))
    return chart


def _strip(chart: pygal.StackedBar) -> tuple[ET.Element, str]:
    """The chart's SVG tree without script, style element or style attributes, and the
    stylesheet taken out of it, both keyed to ``CHART_ID``."""
    root = chart.render_tree()
    random_id = root.get("id", "")
    root.set("id", CHART_ID)
    css = ""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == "script" or not isinstance(child.tag, str):  # scripts, comments
                parent.remove(child)
            elif child.tag == "style":
                css += child.text or ""
                parent.remove(child)
        parent.attrib.pop("style", None)
    return root, css.replace(random_id, CHART_ID)


def clicks_chart_svg(days: Sequence[DayClicks]) -> Markup:
    """The inline ``<svg>`` of human and bot clicks per UTC day."""
    labels = [format_date(day.day, "d MMM") for day in days]
    chart = _chart(labels, [d.clicks for d in days], [d.bot_clicks for d in days])
    root, _css = _strip(chart)
    root.set("role", "img")
    root.set("aria-label", _("Clicks per day"))
    root.set("class", f"{root.get('class', '')} links-chart".strip())
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704 - pygal's own SVG


@cache
def chart_css() -> str:
    """The stylesheet of every clicks chart (pygal's, for ``#links-daily-chart``)."""
    _root, css = _strip(_chart(["a", "b"], [1, 2], [0, 1]))
    return f"{css}\n#{CHART_ID}{{width:100%;height:auto;max-height:320px}}\n"
