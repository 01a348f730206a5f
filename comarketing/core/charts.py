"""pygal charts inlined into pages as SVG, fit for a CSP without inline script or style.

pygal writes a ``<script>`` (its tooltip config), a ``<style>`` and ``style`` attributes into
every chart. They are taken out: the script is dropped (the charts need no JavaScript), and the
stylesheet, the same for every chart of one kind once pygal's random id is replaced by a fixed
``chart_id``, is served as a file of its own (``stylesheet(chart_id)`` behind a route of the
blueprint that draws the chart). Each kind of chart registers a sample of itself so that its
stylesheet can be built without data.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from typing import Any

from flask import Response, abort
from markupsafe import Markup
from pygal.graph.graph import Graph
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#495057",
    foreground_strong="#212529",
    foreground_subtle="#adb5bd",
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    colors=("#0d6efd", "#adb5bd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997"),
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=11,
)
# pygal's options every chart shares: no JavaScript, no XML declaration, no "No data" text.
BASE_OPTIONS: dict[str, Any] = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "legend_at_bottom": True,
    "legend_box_size": 10,
    "margin": 8,
    "truncate_label": -1,
    "no_data_text": "",
}


class _Kind:
    def __init__(self, sample: Callable[[], Graph], max_height: int) -> None:
        self.sample = sample
        self.max_height = max_height


_KINDS: dict[str, _Kind] = {}


def register_chart(chart_id: str, sample: Callable[[], Graph], *, max_height: int = 320) -> None:
    """Declare a kind of chart: ``sample`` builds one with made-up data (its stylesheet is
    the same as any real one's); ``max_height`` in CSS pixels."""
    _KINDS[chart_id] = _Kind(sample, max_height)


def strip_chart(chart: Graph, chart_id: str) -> tuple[ET.Element, str]:
    """The chart's SVG tree without script, style element, style attributes or comments,
    and the stylesheet taken out of it, both keyed to ``chart_id``."""
    root = chart.render_tree()
    random_id = root.get("id", "")
    root.set("id", chart_id)
    css = ""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == "script" or not isinstance(child.tag, str):  # scripts, comments
                parent.remove(child)
            elif child.tag == "style":
                css += child.text or ""
                parent.remove(child)
        parent.attrib.pop("style", None)
    return root, css.replace(random_id, chart_id)


def inline_svg(chart: Graph, chart_id: str, label: str, css_class: str = "") -> Markup:
    """The chart as an inline ``<svg role="img">`` with ``id=chart_id`` and an accessible
    name; pair it with the stylesheet of ``chart_id``."""
    root, _css = strip_chart(chart, chart_id)
    root.set("role", "img")
    root.set("aria-label", label)
    classes = " ".join(part for part in (root.get("class", ""), "chart", css_class) if part)
    root.set("class", classes)
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704 - pygal's own SVG


@cache
def chart_css(chart_id: str) -> str:
    """The stylesheet of the charts of ``chart_id`` (pygal's, plus their size)."""
    kind = _KINDS[chart_id]
    _root, css = strip_chart(kind.sample(), chart_id)
    return f"{css}\n#{chart_id}{{width:100%;height:auto;max-height:{kind.max_height}px}}\n"


def stylesheet(chart_id: str) -> Response:
    """The stylesheet of ``chart_id`` as a response cached for a day; 404 for an unknown id."""
    if chart_id not in _KINDS:
        abort(404)
    response = Response(chart_css(chart_id), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
