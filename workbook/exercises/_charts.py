"""Chart rendering that needs no network: altair specs drawn to SVG in the kernel.

altair's default renderer loads vega from a CDN, which fails offline; an SVG drawn by
vl-convert shows in JupyterLab, in Voila and in any exported file, and escapes user text.
"""

from __future__ import annotations

import io
from typing import Any

import altair as alt

#: Shared look of every workbook chart.
CHART_CONFIG: dict[str, Any] = {
    "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 360},
    "title": {"fontSize": 14, "anchor": "start"},
    "view": {"stroke": None},
}


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as a standalone SVG document."""
    buffer = io.StringIO()
    chart.save(buffer, format="svg")
    return buffer.getvalue()


def svg_bundle(chart: alt.TopLevelMixin, description: str) -> dict[str, str]:
    """A display bundle: the SVG, and a text alternative for screen readers and nbval."""
    return {"image/svg+xml": to_svg(chart), "text/plain": description}
